import QtQuick
import "../style"

// The rounded card every panel sits on.
Rectangle {
    radius: Style.radius
    color: Style.surface
    border.color: Style.surfaceBorder
    border.width: Style.border
}
