"""Media: play by title/artist/genre/mood in both languages, transport, volume, favourites, radio."""

import pytest

from app.vehicle import Cabin
from app.vehicle.media import load_library

pytestmark = pytest.mark.unit


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def cabin(clock):
    return Cabin(clock=clock)


def test_the_library_is_a_demo_library_of_at_least_40_bilingual_tracks():
    lib = load_library()
    assert lib.raw["demo"] is True and len(lib.tracks) >= 40
    for t in lib.tracks.values():
        assert (
            t["title_en"]
            and t["title_zh"]
            and t["genre"] in lib.raw["genres"]
            and t["mood"] in lib.raw["moods"]
        )
    assert len(lib.stations) >= 4


@pytest.mark.parametrize(
    "args, artist_en",
    [
        ({"artist": "Lin Xiaoyu"}, "Lin Xiaoyu"),
        ({"artist": "林晓雨"}, "Lin Xiaoyu"),
        ({"query": "播放林晓雨的歌"}, "Lin Xiaoyu"),
        ({"query": "play something by neon longtang"}, "Neon Longtang"),
        ({"query": "霓虹弄堂"}, "Neon Longtang"),
    ],
)
def test_play_by_artist_in_both_languages(cabin, args, artist_en):
    ch = cabin.do("media.play", **args)
    assert ch.ok, ch.message_en
    track = cabin.state()["media"]["track"]
    assert track["artist_en"] == artist_en and cabin.state()["media"]["playing"]
    assert track["title_zh"] in ch.message_zh and "演示曲库" in ch.message_zh


@pytest.mark.parametrize(
    "kind, text, key",
    [
        ("genre", "jazz", "jazz"),
        ("genre", "爵士", "jazz"),
        ("mood", "舒缓", "calm"),
        ("mood", "relaxing", "calm"),
        ("genre", "国风", "guofeng"),
    ],
)
def test_play_by_genre_or_mood_in_both_languages(cabin, kind, text, key):
    assert cabin.do("media.play", **{kind: text}).ok
    m = cabin.state()["media"]
    assert m["track"][kind] == key
    lib = load_library()
    assert all(lib.tracks[t][kind] == key for t in cabin._s.media.queue)


def test_two_kinds_in_one_query_narrow_each_other(cabin):
    assert cabin.do("media.play", query="play some calm jazz").ok
    t = cabin.state()["media"]["track"]
    assert (t["genre"], t["mood"]) == ("jazz", "calm")
    assert cabin.do("media.play", query="来点动感的电子乐").ok
    t = cabin.state()["media"]["track"]
    assert (t["genre"], t["mood"]) == ("electronic", "energetic")


def test_play_by_title(cabin):
    assert cabin.do("media.play", title="纸伞").ok
    assert cabin.state()["media"]["track"]["title_en"] == "Paper Umbrella"
    assert cabin.do("media.play", query="Midnight Maglev").ok
    assert cabin.state()["media"]["track"]["title_zh"] == "午夜磁浮"


def test_unknown_music_is_a_clear_miss_that_changes_nothing(cabin):
    cabin.do("media.play", genre="jazz")
    before = cabin.state()["media"]
    ch = cabin.do("media.play", query="Taylor Swift")
    assert not ch.ok and ch.error == "not_found" and "演示曲库" in ch.message_zh
    assert cabin.state()["media"] == before


def test_next_previous_pause_resume(cabin, clock):
    cabin.do("media.play", artist="Chen Mo Quartet")
    queue = list(cabin._s.media.queue)
    assert cabin.do("media.next").ok and cabin.state()["media"]["track"]["id"] == queue[1]
    assert cabin.do("media.previous").ok and cabin.state()["media"]["track"]["id"] == queue[0]
    cabin.do("media.previous")
    assert cabin.state()["media"]["track"]["id"] == queue[-1]  # wraps round
    clock.t += 30
    assert cabin.state()["media"]["position_s"] == 30
    cabin.do("media.pause")
    clock.t += 100
    m = cabin.state()["media"]
    assert not m["playing"] and m["position_s"] == 30
    cabin.do("media.resume")
    clock.t += 5
    assert cabin.state()["media"]["position_s"] == 35


def test_a_finished_track_moves_on(cabin, clock):
    cabin.do("media.play", artist="Cloud Harbour")
    first = cabin.state()["media"]["track"]
    clock.t += first["duration_s"] + 2
    m = cabin.state()["media"]
    assert m["track"]["id"] != first["id"] and m["position_s"] == pytest.approx(2)


def test_volume_limits(cabin):
    assert cabin.set("media.volume", 45).clamped and cabin.get("media.volume") == 30
    assert cabin.adjust("media.volume", "down").ok and cabin.get("media.volume") == 27
    assert cabin.set("media.volume", -3).clamped and cabin.get("media.volume") == 0


def test_radio_and_sources(cabin):
    ch = cabin.do("media.play", query="收音机")
    assert ch.ok and cabin.state()["media"]["source"] == "radio" and "模拟电台" in ch.message_zh
    first = cabin.state()["media"]["station"]["id"]
    cabin.do("media.next")
    assert cabin.state()["media"]["station"]["id"] != first
    cabin.do("media.play", query="古典电台")
    assert cabin.state()["media"]["station"]["name_en"] == "Classic Hall"
    cabin.set("media.source", "蓝牙")
    cabin.do("media.play")
    assert cabin.state()["media"]["source"] == "bluetooth"
    assert cabin.state()["media"]["bluetooth_device"]["en"].endswith("(simulated)")


def test_favourites(cabin):
    assert cabin.do("media.play", query="我的收藏").error == "not_found"
    cabin.do("media.play", title="Green Wave")
    assert cabin.do("media.favourite").changes
    cabin.do("media.play", genre="rock")
    assert cabin.do("media.play", favourites=True).ok
    m = cabin.state()["media"]
    assert m["track"]["title_en"] == "Green Wave" and m["track"]["favourite"]
    cabin.do("media.unfavourite")
    assert cabin.state()["media"]["favourites"] == []


@pytest.mark.parametrize("said", ["随便放点歌", "来点音乐", "play some music", "song", "歌", "一首歌"])
def test_any_music_plays_the_library(cabin, said):
    cabin.do("media.play", query="收音机")
    assert cabin.do("media.play", query=said).ok
    m = cabin.state()["media"]
    assert m["playing"] and m["source"] == "library" and m["track"] is not None


def test_a_song_by_an_artist_the_library_lacks_is_not_turned_into_any_song(cabin):
    # "歌" alone means any song; inside "周杰伦的歌" it must not hide the missing artist.
    assert cabin.do("media.play", query="周杰伦的歌").error == "not_found"


def test_a_real_artist_is_not_in_the_demo_library_and_the_reply_says_what_works(cabin):
    ch = cabin.do("media.play", artist="周杰伦")
    assert ch.error == "not_found" and "虚构" in ch.message_zh and "genre" in ch.message_en


def test_crosstalk_is_a_simulated_station(cabin):
    assert cabin.do("media.play", query="听听相声").ok
    st = cabin.state()["media"]["station"]
    assert st["name_zh"] == "相声评书台" and st["simulated"]
