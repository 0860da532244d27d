pragma Singleton
import QtQuick

// The one place for sizes, colours and fonts. Views and controls read tokens from here and never
// hold numbers of their own; the whole cockpit scales with `scale` (window height / 720).
QtObject {
    id: style

    // --- scale: the design grid is 1920x720 -------------------------------------------------
    readonly property real designWidth: 1920
    readonly property real designHeight: 720
    property real scale: 1.0

    // --- theme --------------------------------------------------------------------------------
    property string theme: "night"
    readonly property bool night: theme === "night"

    readonly property color background: night ? "#06080c" : "#e9edf2"
    readonly property color backgroundGlow: night ? "#0d1b2a" : "#f7f9fc"
    readonly property color surface: night ? "#0f141c" : "#ffffff"
    readonly property color surfaceRaised: night ? "#171e29" : "#f3f5f9"
    readonly property color surfaceBorder: night ? "#222b39" : "#d5dbe4"
    // Cards floating on the map are opaque: a street name showing through a countdown reads
    // as a second, ghost line of text at a glance.
    readonly property color mapCard: surface
    readonly property color textPrimary: night ? "#eef2f8" : "#0e1520"
    readonly property color textSecondary: night ? "#8d97a9" : "#556072"
    readonly property color textFaint: night ? "#566174" : "#8a94a5"
    readonly property color accent: night ? "#3fd0ff" : "#0a7cff"
    readonly property color accentSoft: night ? "#143447" : "#d6e8ff"
    readonly property color accentAlt: night ? "#8c6cff" : "#6d4dff"
    readonly property color good: night ? "#35d07f" : "#13a35a"
    readonly property color warning: night ? "#ffb020" : "#d98a00"
    readonly property color danger: night ? "#ff4d4f" : "#e0282e"
    readonly property color signalRed: "#ff3b3b"
    readonly property color signalAmber: "#ffb020"
    readonly property color signalGreen: "#2fd46f"
    readonly property color signalOff: night ? "#1d232d" : "#dfe4eb"
    readonly property color signalUnknown: "#7d8799"
    readonly property color shadow: night ? "#80000000" : "#300e1520"
    readonly property color textOnAccent: "#ffffff"
    readonly property color parkingColour: "#4c8dff"
    readonly property color restaurantColour: "#ff8a3d"
    readonly property color placeColour: "#8c6cff"
    readonly property color heatColour: "#ff7a45"
    readonly property color coolColour: "#3fa9ff"
    readonly property color confirmColour: night ? "#1f7a52" : "#13a35a"

    function phaseColour(phase) {
        switch (phase) {
        case "red": return signalRed
        case "amber": return signalAmber
        case "green": return signalGreen
        default: return signalUnknown
        }
    }

    // --- fonts --------------------------------------------------------------------------------
    readonly property string fontFamily: "Noto Sans CJK SC"
    readonly property real fontHuge: 132 * scale      // speed digits
    readonly property real fontXL: 52 * scale         // countdown
    readonly property real fontL: 30 * scale          // gear letters, clock
    readonly property real fontM: 21 * scale          // body, replies
    readonly property real fontS: 16 * scale          // labels
    readonly property real fontXS: 13 * scale         // captions, credit

    // --- layout -------------------------------------------------------------------------------
    readonly property real margin: 20 * scale
    readonly property real gap: 16 * scale
    readonly property real gapSmall: 8 * scale
    readonly property real radius: 22 * scale
    readonly property real radiusSmall: 12 * scale
    readonly property real border: Math.max(1, 1.5 * scale)
    readonly property real statusBarHeight: 56 * scale
    readonly property real clusterWidth: 560 * scale
    readonly property real assistantWidth: 540 * scale

    // cluster
    readonly property real gaugeSize: 360 * scale
    readonly property real gaugeStroke: 14 * scale
    readonly property real gaugeMaxKmh: 160
    readonly property real gaugeSweepDeg: 260
    readonly property real gearCell: 52 * scale
    readonly property real batteryBarHeight: 12 * scale
    readonly property real tellTaleSize: 34 * scale
    readonly property real lowBatteryPct: 20

    // traffic light
    readonly property real signalCardWidth: 250 * scale
    readonly property real signalLamp: 30 * scale
    readonly property real signalHousingWidth: 46 * scale

    // assistant
    readonly property real orbSize: 120 * scale
    readonly property real talkButtonHeight: 56 * scale
    readonly property real cardHeight: 78 * scale
    readonly property real cardHeightCompact: 58 * scale  // while a media or call card shares the panel
    readonly property real inputHeight: 52 * scale
    readonly property real iconSize: 24 * scale
    readonly property real iconSmall: 18 * scale

    // climate bar (bottom of the centre display)
    readonly property real climateBarHeight: 56 * scale
    readonly property real climateButton: 40 * scale
    readonly property real climateTempWidth: 60 * scale
    readonly property real levelDot: 6 * scale
    readonly property real tempStep: 0.5
    readonly property int seatLevels: 3
    readonly property int fanMax: 7

    // media and call cards
    readonly property real activityCardHeight: 70 * scale
    readonly property real progressHeight: 5 * scale

    // status bar
    readonly property real chipHeight: 36 * scale
    readonly property real toggleWidth: 112 * scale

    // study mode (qml/views/StudyView.qml)
    readonly property real taskCardWidth: 520 * scale
    readonly property real answerCell: 64 * scale
    readonly property real drtDot: 26 * scale
    readonly property real drtButton: 64 * scale

    // --- motion -------------------------------------------------------------------------------
    readonly property int fast: 140
    readonly property int normal: 260
    readonly property int slow: 900
    readonly property int breathe: 1800
    readonly property int toastMs: 4000

    // --- opacity ----------------------------------------------------------------------------
    readonly property real dimmed: 0.35
    readonly property real glow: 0.22

    // --- show mode: subtitle line, operator menu (app/show) -----------------------------------
    readonly property real subtitleHeight: 64 * scale
    readonly property real subtitleMaxWidth: 1200 * scale
    readonly property real operatorMenuWidth: 980 * scale
    readonly property real operatorButtonHeight: 44 * scale
    readonly property real operatorButtonWidth: 300 * scale
    readonly property real cornerHotspot: 72 * scale
    readonly property int longPressMs: 2000
    readonly property color scrim: night ? "#c0000000" : "#a0101820"
    readonly property color subtitleBackground: night ? "#e00b1018" : "#e0ffffff"
}
