"""The kiosk's rules, on an injected clock: idle -> reset -> attract loop; any activity -> live.

Modes:
- `live`: visitors use the car. After `idle_s` without a touch, key or speech, everything goes back
  to the start state (the visitor has left) and the attract loop begins.
- `attract`: the scenarios play in turn, alternating languages. Any activity stops the demo,
  resets its state and returns to `live` at once (the window calls `activity()` from its input
  filter, so within one event, well inside the second the brief allows).
- `scenario`: the operator (or `--scenario`) picked one; idle does not interrupt it.
`tick()` is called once a second by a timer in the window and by the tests with a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class Kiosk:
    def __init__(
        self,
        clock: Callable[[], float],
        idle_s: float,
        playlist: list[tuple[str, str]],
        play: Callable[[str, str], None],
        stop: Callable[[], None],
        reset: Callable[[], None],
        on_mode: Callable[[str], None] | None = None,
    ):
        self.clock = clock
        self.idle_s = idle_s
        self.playlist = playlist
        self._play, self._stop, self._reset = play, stop, reset
        self._on_mode = on_mode or (lambda mode: None)
        self.mode = "live"
        self.last_activity = clock()
        self.playing: tuple[str, str] | None = None
        self.next_index = 0
        self.paused = False  # the operator menu is open
        self.resets = 0

    def _set_mode(self, mode: str) -> None:
        if mode != self.mode:
            log.info("kiosk: %s -> %s", self.mode, mode)
            self.mode = mode
            self._on_mode(mode)

    def reset(self) -> None:
        self.resets += 1
        self._reset()

    def activity(self, source: str = "input") -> bool:
        """A touch, key or speech. True when it ended the attract loop (the demo was stopped)."""
        self.last_activity = self.clock()
        if self.mode != "attract":
            return False
        log.info("kiosk: %s ends the attract loop", source)
        self._stop()
        self.playing = None
        self.reset()
        self._set_mode("live")
        return True

    def demo_finished(self) -> None:
        """The scenario that was playing has ended (or failed): the next one starts on the next tick."""
        self.playing = None
        if self.mode == "scenario":
            self._set_mode("live")
            self.last_activity = self.clock()

    def pick(self, name: str, lang: str) -> None:
        """The operator plays one scenario now."""
        if self.playing:
            self._stop()
        self._set_mode("scenario")
        self.playing = (name, lang)
        self._play(name, lang)

    def stop(self) -> None:
        """The operator stops whatever plays; back to live use with a clean state."""
        if self.playing:
            self._stop()
        self.playing = None
        self.reset()
        self.last_activity = self.clock()
        self._set_mode("live")

    def tick(self) -> None:
        if self.paused or not self.playlist:
            return
        if self.mode == "live" and self.clock() - self.last_activity >= self.idle_s:
            self.reset()  # the visitor has left: route, cabin, conversation, language
            self._set_mode("attract")
        if self.mode == "attract" and self.playing is None:
            name, lang = self.playlist[self.next_index % len(self.playlist)]
            self.next_index += 1
            self.playing = (name, lang)
            self._play(name, lang)
