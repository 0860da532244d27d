import QtQuick
import "../panels"
import "../stores"
import "../style"

// Cabin store -> climate bar; each touch is one cabin change (set/adjust), confirmed by the cabin.
ClimateBarPanel {
    required property CabinStore store
    visible: store.available
    climateOn: store.climateOn
    driverTemp: store.driverTemp
    passengerTemp: store.passengerTemp
    fan: store.fan
    defrostFront: store.defrostFront
    defrostRear: store.defrostRear
    driverSeatHeat: store.driverSeatHeat
    passengerSeatHeat: store.passengerSeatHeat
    driverSeatVent: store.driverSeatVent
    passengerSeatVent: store.passengerSeatVent
    onTemperatureStepped: (zone, delta) => store.adjust("climate." + zone + ".temperature", delta)
    onFanStepped: delta => store.adjust("climate.fan", delta)
    onSeatHeatPressed: zone => store.cycle("seats." + zone + ".heating",
                                           zone === "driver" ? store.driverSeatHeat : store.passengerSeatHeat, Style.seatLevels)
    onSeatVentPressed: zone => store.cycle("seats." + zone + ".ventilation",
                                           zone === "driver" ? store.driverSeatVent : store.passengerSeatVent, Style.seatLevels)
    onDefrostPressed: which => store.toggle("climate.defrost_" + which, which === "front" ? store.defrostFront : store.defrostRear)
}
