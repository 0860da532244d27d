"""The tool schema is the single source of truth: examples cover every tool in both languages and
validate against it; the prompt, the decoding choices, validation ranges and the docs derive from it."""

import pytest

from app.agent import prompt, schema
from app.agent.fake_cabin import FakeCabin
from app.agent.parse import parse_call, parse_calls
from app.agent.schema import ToolArgError, parse_number

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module", params=["cabin", "fake"])
def bound(request):
    # The examples must hold for the real cabin's spec (in memory) and for the agent's fallback fake.
    return schema.bind_default(FakeCabin() if request.param == "fake" else None)


def all_examples(b):
    # The router's phrasings are held to the same rules as the prompt's examples.
    for t in b.tools.values():
        for lang, examples in (*t.examples.items(), *t.phrasings.items()):
            for user, call in examples:
                yield lang, user, [call]
    for lang, examples in b.schema.multi_examples.items():
        for user, calls in examples:
            yield lang, user, list(calls)


def test_every_tool_has_examples_in_both_languages(bound):
    for t in bound.tools.values():
        assert t.examples.get("en") and t.examples.get("zh"), t.name
        assert t.domain in bound.schema.domains


def test_phrasings_teach_the_router_and_stay_out_of_the_prompt(bound):
    from app.agent import router

    phrasings = {u for t in bound.tools.values() for ex in t.phrasings.values() for u, _ in ex}
    assert phrasings
    text = prompt.prefix(bound)
    assert not [u for u in phrasings if prompt.chatml("user", u) in text]
    assert not phrasings & {u for u, _ in bound.prompt_examples()}
    trained = {t for t, _ in router.training_rows()}
    assert phrasings <= trained
    # A car phrasing also teaches the target read-out: its call's control or action.
    targets = dict(router.control_rows())
    assert targets["switch to eco mode"] == ("drive.mode",)
    assert targets["keep playing"] == ("media.resume",)


def test_every_domain_has_a_tool(bound):
    assert {t.domain for t in bound.tools.values()} == set(bound.schema.domains)


def test_every_example_parses_and_validates_against_the_schema(bound):
    for _lang, user, calls in all_examples(bound):
        for call in calls:
            name, raw = parse_call(call)
            args = bound.validate(name, raw, user)
            # The example's own arguments survive validation: none was ungrounded in its text.
            assert set(args) == set(raw), (user, call)


def test_example_values_are_among_the_decodable_choices(bound):
    # What the examples teach the model is what constrained decoding lets it write.
    for _lang, user, calls in all_examples(bound):
        for call in calls:
            name, raw = parse_call(call)
            seen = {}
            for key in bound.tools[name].params:
                if key not in raw:
                    continue
                choices = bound.choices(name, key, seen)
                if choices is not None:
                    assert str(raw[key]) in choices, (user, key, raw[key])
                seen[key] = raw[key]


def test_multi_examples_have_several_calls_in_both_languages(bound):
    for lang in ("en", "zh"):
        ex = bound.schema.multi_examples[lang]
        assert len(ex) >= 3 and all(len(calls) >= 2 for _, calls in ex)


def test_prompt_is_derived_from_the_schema_and_the_cabin_spec(bound):
    system = bound.prompt_system()
    for name in bound.tools:
        assert f"\n{name}(" in system
    for path in bound.controls:
        assert f"\n{path}:" in system
    assert "16-28 °C" in system  # the range comes from the cabin spec, not from the agent
    text = prompt.prefix(bound)
    assert text.count("<|im_start|>user") == len(bound.prompt_examples())


def test_a_new_cabin_control_reaches_prompt_choices_and_validation_without_agent_code():
    spec = FakeCabin().spec() + [
        dict(path="seats.rear.heating", type="number", min=0, max=2, step=1, unit=None, choices=None,
             label_en="rear seat heating", label_zh="后排座椅加热", synonyms_en=[], synonyms_zh=["后排加热"])
    ]  # fmt: skip
    b = schema.load().bind(spec, schema.category_vocab())
    assert "seats.rear.heating" in b.choices("car_set", "control", {})
    assert "后排加热" in b.prompt_system()
    assert b.validate("car_set", {"control": "seats.rear.heating", "value": "2"}) == {
        "control": "seats.rear.heating",
        "value": 2,
    }


def test_value_choices_follow_the_chosen_control(bound):
    assert bound.choices("car_set", "value", {"control": "climate.power"}) == ["on", "off"]
    assert bound.choices("car_set", "value", {"control": "drive.mode"}) == ["eco", "comfort", "sport"]
    assert bound.choices("car_set", "value", {"control": "climate.fan"}) is None  # a number: generated
    assert "hospital" in bound.choices("search_places", "category", {})


def test_validation_ranges_come_from_the_cabin_spec(bound):
    assert bound.value_range("climate.driver.temperature") == (16, 28, 0.5)
    assert bound.value_range("media.volume")[:2] == (0, 30)
    assert bound.value_range("climate.power") is None


@pytest.mark.parametrize(
    "tool, args",
    [
        ("car_set", {"control": "climate.warp_drive", "value": "on"}),  # not a cabin control
        ("car_set", {"control": "climate.fan", "value": "fast"}),  # not a number
        ("car_set", {"control": "drive.mode", "value": "turbo"}),  # not a choice of the control
        ("navigate", {}),  # needs a place or a category
        ("search_places", {"category": "spaceport"}),  # not a world category
        ("map_view", {"view": "upside_down"}),
        ("open_sunroof", {}),  # unknown tool
    ],
)
def test_validation_rejects(bound, tool, args):
    with pytest.raises(ToolArgError):
        bound.validate(tool, args, "whatever")


def test_validation_normalises(bound):
    assert bound.validate("car_set", {"control": "climate.power", "value": "off"}) == {
        "control": "climate.power",
        "value": False,
    }
    assert bound.validate("search_places", {"category": "加油站"})["category"] == "fuel"
    assert bound.validate("search_places", {"category": "gas station"})["category"] == "fuel"
    assert bound.validate("search_places", {"category": "toilet", "open_now": "true"})["open_now"] is True


def test_text_the_driver_never_said_is_dropped(bound):
    args = bound.validate(
        "find_restaurants", {"cuisine": "chinese", "near": "Xintiandi"}, "restaurants near Xintiandi"
    )
    assert args == {"near": "Xintiandi"}
    with pytest.raises(ToolArgError):  # a contact is required, and "Bob" was not said
        bound.validate("call", {"contact": "Bob"}, "call mom")
    assert bound.validate("find_parking", {"near": "there"}, "find parking there") == {"near": "there"}


@pytest.mark.parametrize(
    "text, n", [("22", 22), ("22.5度", 22.5), ("二十三", 23), ("十八", 18), ("三档", 3), ("二十二点五", 22.5)]
)
def test_numbers_as_said(text, n):
    assert parse_number(text) == n


def test_domains_of_cabin_calls_follow_the_control(bound):
    assert bound.domain("car_set", {"control": "media.volume"}) == "media"
    assert bound.domain("car_set", {"control": "climate.power"}) == "vehicle"
    assert bound.domain("chat") == "chat" and bound.public_name("chat") == "none"
    assert bound.domain("weather") == "weather" and bound.public_name("weather") == "none"


def test_every_reply_kind_has_both_languages(bound):
    for kind, t in bound.schema.replies.items():
        assert t.get("en") and t.get("zh"), kind


def test_docs_are_generated_from_the_schema_and_checked_in(bound):
    from app import paths

    docs = schema.bind_default().docs()
    for name in bound.tools:
        assert f"`{name}`" in docs
    assert "`climate.driver.temperature`" in docs
    checked_in = (paths.ROOT / "docs" / "tools.md").read_text(encoding="utf-8")
    assert checked_in == docs, "docs/tools.md is stale: python -m app.agent.schema --docs > docs/tools.md"


def test_parse_calls_reads_every_line_and_keeps_bad_ones_as_errors():
    out = parse_calls('navigate(place="外滩")\nnot a call at all!\nfind_parking(near="there")')
    assert out[0] == ("navigate", {"place": "外滩"}) and out[2] == ("find_parking", {"near": "there"})
    assert isinstance(out[1], ValueError)
    native = '<tool_call>\n{"name": "chat", "arguments": {"topic": "greeting"}}\n</tool_call>'
    assert parse_calls(native) == [("chat", {"topic": "greeting"})]


@pytest.mark.parametrize(
    "model_said, text, key",
    [
        ("park", "附近有停车场吗", "parking"),  # what the 0.5B model wrote
        ("fuel", "外滩附近有停车场吗", "parking"),
        ("hospital", "附近有医院吗", "hospital"),
        ("parking", "where can I park near the Bund", "parking"),  # English words stay the model's
    ],
)
def test_a_category_the_driver_named_in_chinese_wins_over_the_models(bound, model_said, text, key):
    assert bound.validate("search_places", {"category": model_said}, text)["category"] == key


@pytest.mark.parametrize(
    "control, model_said, text, value",
    [
        ("climate.temperature", 22, "导航去外滩，把空调调到二十四度", 24),  # what the 0.5B model wrote
        ("climate.driver.temperature", 22, "set the driver side to 24.5", 24.5),
        ("climate.temperature", 23, "把空调调到二十三度", 23),
        # 二十三 is no seat-heating level: the model's level stays.
        ("seats.driver.heating", 2, "把空调调到二十三度打开座椅加热", 2),
    ],
)
def test_the_number_the_driver_said_wins_over_the_models(bound, control, model_said, text, value):
    assert bound.validate("car_set", {"control": control, "value": model_said}, text)["value"] == value


@pytest.mark.parametrize(
    "tool, key, model_said, text, value",
    [
        ("route_preference", "prefer", "shortest", "换一条最快的路线", "fastest"),  # the 0.5B model's
        ("route_preference", "prefer", "shortest", "is there a quicker way", "fastest"),
        ("route_preference", "prefer", "fastest", "take the shortest route", "shortest"),
        ("map_view", "view", "zoom_out", "地图放大一点", "zoom_in"),
        ("search_places", "sort", "price", "找个评分最高的酒店", "rating"),
        # The words of two values, or of none: the model's value stays.
        ("search_places", "sort", "price", "人均一百左右评分高的酒店", "price"),
        ("route_preference", "prefer", "avoid-elevated", "take another route", "avoid-elevated"),
        # An optional choice none of whose words was said is dropped; a whole word only counts:
        # "breakfast" says nothing about speed.
        ("navigate", "prefer", "shortest", "take me to breakfast", None),
        ("navigate", "prefer", "avoid-elevated", "take me to breakfast, the fastest way", "fastest"),
    ],
)
def test_the_value_the_driver_named_wins_over_the_models(bound, tool, key, model_said, text, value):
    args = {key: model_said} if tool != "navigate" else {"place": "breakfast", key: model_said}
    if tool == "search_places":
        args["category"] = "hotel"
    assert bound.validate(tool, args, text).get(key) == value


@pytest.mark.parametrize(
    "text, category",
    [
        ("带我去最近的医院", "hospital"),
        ("我要加油", "fuel"),
        ("换成经济模式", None),  # the 0.5B model had navigated to a cash machine
        ("take me to a gas station", "fuel"),  # English category words are left to the model
    ],
)
def test_a_grounded_category_is_one_whose_words_were_said(bound, text, category):
    model_said = {"换成经济模式": "atm"}.get(text, category)
    try:
        got = bound.validate("navigate", {"category": model_said}, text).get("category")
    except ToolArgError:
        got = None
    assert got == category


def test_words_for_a_value_an_enum_does_not_have_are_refused(tmp_path):
    from app.agent.schema import load

    original = schema.SCHEMA_FILE.read_text(encoding="utf-8")
    bad = tmp_path / "tools.yaml"
    text = original.replace("fastest: [fastest, quickest", "fastests: [fastest, quickest", 1)
    assert text != original
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="fastests"):
        load(bad)


@pytest.mark.parametrize(
    "model_said, text, args",
    [
        (
            {"origin": "人民广场", "place": "新天地"},
            "我想从人民广场打车到新天地",
            {"origin": "人民广场", "place": "新天地"},
        ),
        (
            {"origin": "the hotel", "place": "Yu Garden"},
            "a taxi from the hotel to Yu Garden",
            {"origin": "the hotel", "place": "Yu Garden"},
        ),
        # No "from": the model's origin is the destination (what the 0.5B model wrote).
        (
            {"origin": "虹桥火车站", "place": "上海"},
            "导航去虹桥火车站，还有上海明天多少度",
            {"place": "虹桥火车站"},
        ),
        ({"origin": "the Bund"}, "take me to the Bund", {"place": "the Bund"}),
    ],
)
def test_an_origin_is_an_origin_only_after_from(bound, model_said, text, args):
    assert bound.validate("navigate", model_said, text) == args


def test_a_contact_is_grounded_by_any_of_the_cabins_names_for_it():
    from app.vehicle import Cabin

    cabin = Cabin(path=None)
    b = schema.load().bind(cabin.spec(), [], cabin.contact_names())
    assert b.grounded("爸爸", "给我爸打个电话") and b.grounded("Dad", "call my father please")
    assert not b.grounded("爸爸", "给我妈打个电话") and not b.grounded("Dad", "call the hotel")


@pytest.mark.parametrize(
    "model_said,text,args",
    [
        ({}, "where is the nearest italian restaurant", {"cuisine": "italian"}),
        ({"sort": "rating"}, "想吃小笼包", {"cuisine": "小笼包"}),  # no word of a rating said
        ({"sort": "rating"}, "想吃评分高的小笼包", {"sort": "rating", "cuisine": "小笼包"}),
        ({"near": "日料店"}, "离我最近的日料店", {"cuisine": "日料店"}),  # a cuisine is not a place
        ({"near": "新天地"}, "新天地附近有什么好吃的", {"near": "新天地"}),
        ({}, "前面有什么餐厅", {}),  # 面 (noodles) is one character: in 前面 it is no cuisine
        ({}, "find me a fish place or some pizza", {}),  # two said: no guess
    ],
)
def test_a_cuisine_the_model_left_out_is_taken_from_the_words_said(bound, model_said, text, args):
    assert bound.validate("find_restaurants", model_said, text) == args


def test_a_category_search_becomes_the_tool_that_stands_for_that_category(bound):
    args = bound.validate("search_places", {"category": "restaurant"}, "nearest italian restaurant")
    assert bound.specialise("search_places", args, "nearest italian restaurant") == (
        "find_restaurants",
        {"cuisine": "italian"},
    )
    assert bound.specialise("search_places", {"category": "parking", "near": "外滩"}, "外滩附近的停车场") == (
        "find_parking",
        {"near": "外滩"},
    )
    # find_restaurants cannot search along the route, so that search stays what it was.
    along = {"category": "restaurant", "along_route": True}
    assert bound.specialise("search_places", along, "路上的餐厅") == ("search_places", along)
    # navigate(category=...) is a navigation call: no places tool stands for it.
    assert bound.specialise("navigate", {"category": "parking"}, "去停车场") == (
        "navigate",
        {"category": "parking"},
    )


@pytest.mark.parametrize(
    "model_said,text,args",
    [
        # A name said right before 附近 is where the search is, and the category word said is the search.
        ({"name": "豫园"}, "帮我找找豫园附近评分高的餐馆", {"near": "豫园", "category": "restaurant"}),
        # A category word inside the name is part of the name: 饭店 here is no hotel search.
        (
            {"name": "和平饭店"},
            "和平饭店周边有没有便宜的饭馆",
            {"near": "和平饭店", "category": "restaurant"},
        ),
        # The model wrote the category as a name.
        (
            {"name": "餐馆", "sort": "rating"},
            "推荐一家评分高的餐馆",
            {"category": "restaurant", "sort": "rating"},
        ),
        # A dish and the word for restaurants: restaurants are sought, the dish stays the model's.
        ({"name": "红烧肉"}, "想吃红烧肉，找个餐馆", {"name": "红烧肉", "category": "restaurant"}),
        # Nothing said beside the name: a name search, as before.
        ({"name": "星巴克"}, "附近有星巴克吗", {"name": "星巴克"}),
        ({"name": "Starbucks"}, "is there a Starbucks nearby", {"name": "Starbucks"}),
    ],
)
def test_a_places_search_takes_its_place_and_category_from_the_words_said(bound, model_said, text, args):
    assert bound.validate("search_places", model_said, text) == args


def test_two_categories_said_beside_a_place_are_no_guess(bound):
    # Left with neither a name nor a category, the search is refused rather than guessed.
    with pytest.raises(ToolArgError):
        bound.validate("search_places", {"name": "外滩"}, "外滩附近的酒店和银行")


def test_an_unknown_vocabulary_is_refused(tmp_path):
    import yaml

    raw = yaml.safe_load(schema.SCHEMA_FILE.read_text(encoding="utf-8"))
    raw["tools"]["find_restaurants"]["args"]["cuisine"]["vocab"] = "world.wines"
    path = tmp_path / "tools.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown vocabulary"):
        schema.load(path)


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("tune into ninety nine point five fm", "tune into 99.5 fm"),
        ("play nine hundred and eighty nine the radio station", "play 989 the radio station"),
        ("set it to twenty two", "set it to 22"),
        ("one two three", "1 2 3"),
        ("play the news", "play the news"),
    ],
)
def test_numbers_said_in_words_read_as_digits(said, digits):
    assert schema.spelled_numbers(said) == digits


def test_a_station_the_model_writes_in_digits_is_grounded_in_the_words_said(bound):
    said = "tune into ninety nine point five fm"
    assert bound.validate("play_media", {"query": "99.5 fm"}, said) == {"query": "99.5 fm"}
    # A number the driver did not say is still dropped: 909 is not nine hundred and eighty nine.
    assert bound.validate("play_media", {"query": "909"}, "play nine hundred and eighty nine") == {}


def test_a_temperature_said_in_english_words_is_the_drivers_number():
    b = schema.bind_default()
    args = b.validate(
        "car_set", {"control": "climate.temperature", "value": "22"}, "set the temperature to twenty four"
    )
    assert args["value"] == 24


@pytest.mark.parametrize(
    ("said", "model", "key", "meant"),
    [
        # Between controls of one kind, the one whose words were said.
        ("副驾车窗打开", ("windows.front_left", "100"), "control", "windows.front_right"),
        ("打开副驾座椅加热", ("seats.driver.heating", "on"), "control", "seats.passenger.heating"),
        ("close the rear left window", ("windows.all", "0"), "control", "windows.rear_left"),
        ("把主驾温度调到22度", ("climate.temperature", "22"), "control", "climate.driver.temperature"),
        # Words of a control of another kind never move the call: 空调 is the climate's power.
        ("把空调调到二十三度", ("climate.temperature", "23"), "control", "climate.temperature"),
        # Words every seat shares name no seat in particular: the model's stays.
        ("打开座椅加热", ("seats.driver.heating", "on"), "control", "seats.driver.heating"),
        # Among a control's choices, the one whose words were said.
        ("blow air on my feet", ("climate.mode", "auto"), "value", "feet"),
        ("空调调成自动", ("climate.mode", "face"), "value", "auto"),
        ("换成运动模式", ("drive.mode", "eco"), "value", "sport"),
        ("change the air direction", ("climate.mode", "face"), "value", "face"),
    ],
)
def test_the_drivers_words_pick_the_control_and_the_choice_meant(said, model, key, meant):
    control, value = model
    assert schema.bind_default().validate("car_set", {"control": control, "value": value}, said)[key] == meant


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("把空调调到二十三度", [23]),
        ("温度调高一点", []),  # 一点 is "a little"
        ("一点五档", [1.5]),
        ("open the 3d map and set 24 degrees", [24]),  # 3d names a view
        ("twenty two degrees", [22]),
    ],
)
def test_numbers_said_are_quantities_only(text, numbers):
    assert schema.numbers_in(text) == numbers


def test_a_number_out_of_range_said_with_its_unit_is_the_drivers_and_reaches_the_cabin(bound):
    for text in ("switch the map to 2d and set 35 degrees", "空调调到三十五度"):
        args = bound.validate("car_set", {"control": "climate.temperature", "value": 22}, text)
        assert args == {"control": "climate.temperature", "value": 35}
    # Said without the temperature's unit, 23 is not a seat-ventilation level.
    args = bound.validate(
        "car_set", {"control": "seats.driver.ventilation", "value": 2}, "空调调到二十三度打开座椅通风"
    )
    assert args["value"] == 2


@pytest.mark.parametrize(
    ("model", "text", "relative"),
    [
        ({"control": "climate.temperature", "value": 3}, "make it a bit cooler in here", "down"),
        ({"control": "climate.temperature", "value": 2}, "温度再高点", "up"),
        ({"control": "windows.front_right", "value": 50}, "roll the window down halfway", None),  # in range
        ({"control": "media.volume", "value": 20}, "音量调到20", None),  # the driver's number
        ({"control": "media.volume", "value": 30}, "turn the volume up to max", None),  # an extreme
        ({"control": "media.volume", "value": 12}, "turn on the radio volume", None),  # no direction
        ({"control": "climate.ac", "value": True}, "a bit cooler", None),  # not a number control
    ],
)
def test_a_number_never_said_out_of_range_beside_a_direction_is_a_relative_change(
    bound, model, text, relative
):
    got = bound.relative(model, text)
    assert (got and got["delta"]) == relative
    if relative:
        assert got["control"] == model["control"]


def test_the_direction_the_driver_said_wins_over_the_models(bound):
    args = bound.validate(
        "car_adjust", {"control": "climate.temperature", "delta": "up"}, "a little cooler please"
    )
    assert args["delta"] == "down"


def test_a_place_searched_around_loses_the_word_for_around(bound):
    assert bound.validate("find_parking", {"near": "人民广场附近"}, "人民广场附近哪里能停车") == {
        "near": "人民广场"
    }
    args = bound.validate("find_restaurants", {"near": "和平饭店周边"}, "和平饭店周边有什么吃的")
    assert args == {"near": "和平饭店"}


def test_a_group_control_set_makes_the_same_setting_on_its_member_redundant(bound):
    group = ("car_set", {"control": "climate.temperature", "value": 24})
    assert bound.covered(("car_set", {"control": "climate.driver.temperature", "value": 24}), [group])
    assert not bound.covered(("car_set", {"control": "climate.driver.temperature", "value": 20}), [group])
    assert not bound.covered(("car_set", {"control": "climate.driver.temperature", "value": 24}), [])


@pytest.mark.parametrize(
    ("text", "tools"),
    [
        ("换一条最快的路", ["navigate", "route_preference"]),  # a route, not a map zoom
        ("地图放大一点", ["map_view"]),
        ("switch the map to 3d", ["map_view"]),
        ("导航去最近的加油站", None),  # 最近 sorts a search; it names no navigation tool
        ("take me home", None),
    ],
)
def test_words_that_name_a_tool_narrow_the_choice_of_tool(bound, text, tools):
    nav = bound.tools_for(("navigation",))
    assert bound.tools_named(nav, text) == (tools or nav)


@pytest.mark.parametrize(
    ("control", "text", "said"),
    [
        ("lights.fog", "雾太大了，打开雾灯", True),
        ("climate.defrost_front", "雾太大了，打开雾灯", False),  # 雾 alone is no defrost word
        ("climate.mode", "put the air on auto", True),  # by a choice of its own: auto
        ("lights.ambient.color", "change the lighting to blue", True),
    ],
)
def test_a_control_is_mentioned_by_its_words_or_a_choice_of_its_own(bound, control, text, said):
    assert bound.mentioned(control, text) is said


@pytest.mark.parametrize(
    "key, text, kept",
    [
        # The 0.5B model had searched "along the route" with no route and no word of one.
        ("along_route", "locate me the amazon restaurants", False),
        ("along_route", "从北京古代建筑博物馆坐地铁到京东大峡谷，附近地铁站是什么", False),
        ("along_route", "any toilets along the route", True),
        ("along_route", "路上有没有超市", True),
        ("open_now", "is there a pharmacy open now", True),
        ("open_now", "附近有没有药店", False),
    ],
)
def test_a_flag_stands_only_when_its_words_were_said(bound, key, text, kept):
    args = bound.validate("search_places", {"category": "pharmacy", key: "true"}, text)
    assert (args.get(key) is True) == kept
    assert args["category"]  # the rest of the call stands
