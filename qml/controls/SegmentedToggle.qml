pragma ComponentBehavior: Bound
import QtQuick
import "../style"

// Two-option switch (中文 | EN, night | day). Emits the chosen key.
Rectangle {
    id: toggle
    property var options: []      // [{key, label, icon}]
    property string current
    signal chosen(string key)

    width: Style.toggleWidth
    height: Style.chipHeight
    radius: height / 2
    color: Style.surfaceRaised
    border.color: Style.surfaceBorder
    border.width: Style.border

    Row {
        anchors.fill: parent
        anchors.margins: Style.border * 2
        Repeater {
            model: toggle.options
            delegate: Rectangle {
                id: option
                required property var modelData
                readonly property bool selected: modelData.key === toggle.current
                width: parent.width / toggle.options.length
                height: parent.height
                radius: height / 2
                color: selected ? Style.accent : "transparent"
                Behavior on color { ColorAnimation { duration: Style.fast } }
                Text {
                    visible: !option.modelData.icon
                    anchors.centerIn: parent
                    text: option.modelData.label || ""
                    color: option.selected ? Style.textOnAccent : Style.textSecondary
                    font.family: Style.fontFamily
                    font.pixelSize: Style.fontS
                    font.weight: Font.DemiBold
                }
                Icon {
                    visible: !!option.modelData.icon
                    anchors.centerIn: parent
                    name: option.modelData.icon || ""
                    size: Style.iconSmall
                    colour: option.selected ? Style.textOnAccent : Style.textSecondary
                }
                MouseArea { anchors.fill: parent; onClicked: toggle.chosen(option.modelData.key) }
            }
        }
    }
}
