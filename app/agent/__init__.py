"""The Qwen agent: picks a tool for what the driver said, calls the world, answers briefly.

`make_agent()` builds the real agent (llama-cpp-python worker + world service);
`app.agent.fake` has a scripted LLM and a small world for fast tests.
"""


def __getattr__(name: str):
    # Lazy: importing app.agent.text must not load the world or llama.
    if name in ("CockpitAgent", "make_agent"):
        from app.agent import core

        return getattr(core, name)
    raise AttributeError(name)
