import QtQuick
import "../style"

// A theme-tinted icon from assets/ui/icons (tinted by the Python image provider; see app/ui/icons.py).
Image {
    id: icon
    property string name
    property color colour: Style.textPrimary
    property real size: Style.iconSize

    function hex(c) {
        const part = v => ("0" + Math.round(v * 255).toString(16)).slice(-2)
        return part(c.r) + part(c.g) + part(c.b)
    }

    width: size
    height: size
    sourceSize.width: size
    sourceSize.height: size
    source: name ? "image://icon/" + name + "/" + hex(colour) : ""
    fillMode: Image.PreserveAspectFit
    smooth: true
}
