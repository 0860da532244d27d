"""The media's generated audio: it is really there, follows the volume, ducks, rings; no device needed."""

import wave

import numpy as np
import pytest

from app.vehicle import Cabin
from app.vehicle.audio import BLOCK, SAMPLE_RATE, MediaPlayer, gain_for

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x**2)))


@pytest.fixture
def cabin():
    c = Cabin(clock=Clock())
    c.do("media.play", genre="pop")
    return c


def settled(player: MediaPlayer, blocks: int = 4) -> np.ndarray:
    """Render past the gain ramp, then one block to measure."""
    for _ in range(blocks):
        player.render(BLOCK)
    return player.render(BLOCK)


def test_playing_media_makes_quiet_sound_and_paused_media_none(cabin):
    player = MediaPlayer(cabin)
    block = settled(player)
    assert rms(block) > 0.001 and np.max(np.abs(block)) <= 0.3  # audible but quiet
    cabin.do("media.pause")
    assert rms(settled(player)) == 0


def test_volume_is_real(cabin):
    player = MediaPlayer(cabin)
    cabin.set("media.volume", 25)
    loud = rms(settled(player))
    cabin.set("media.volume", 10)
    quiet = rms(settled(player))
    assert quiet < loud / 5
    cabin.set("media.volume", 0)
    assert rms(settled(player)) == 0
    assert gain_for(30, False) > gain_for(29, False) > gain_for(1, False) > 0


def test_ducking_lowers_the_media_while_the_assistant_speaks(cabin):
    player = MediaPlayer(cabin)
    normal = rms(settled(player))
    player.duck(True)
    assert cabin.state()["media"]["ducked"] is True
    ducked = rms(settled(player))
    assert ducked < normal / 4
    player.duck(False)
    assert rms(settled(player)) > ducked * 4


def test_a_ringing_phone_rings_even_with_the_media_off(cabin):
    player = MediaPlayer(cabin)
    cabin.do("media.pause")
    cabin.do("phone.incoming", contact="Mom")
    assert rms(settled(player)) > 0.01
    cabin.do("phone.answer")
    assert rms(settled(player)) == 0


def test_tracks_sound_different(cabin):
    player = MediaPlayer(cabin)
    a = settled(player)
    cabin.do("media.play", genre="classical")
    b = settled(player)
    assert not np.allclose(a, b)


def test_render_to_a_wav_file_without_a_sound_card(cabin, tmp_path):
    path = MediaPlayer(cabin).render_wav(tmp_path / "media.wav", seconds=1.0)
    with wave.open(str(path)) as w:
        assert w.getframerate() == SAMPLE_RATE and w.getnframes() > 0.9 * SAMPLE_RATE
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2")
    assert np.abs(pcm).max() > 30


def test_silent_output_starts_and_stops(cabin):
    player = MediaPlayer(cabin)
    assert player.start(output="silent") == "silent"
    player.stop()
    assert player.output == "none"
