<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssistantPanel</name>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="38"/>
        <source>Listening…</source>
        <translation>正在聆听…</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="39"/>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="40"/>
        <source>Speaking</source>
        <translation>正在回答</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="41"/>
        <source>How can I help?</source>
        <translation>有什么可以帮您？</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="85"/>
        <source>Release to send</source>
        <translation>松开发送</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="85"/>
        <source>Hold to talk  ·  Space</source>
        <translation>按住说话  ·  空格键</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="200"/>
        <source>Type a request, e.g. “find parking”</source>
        <translation>输入请求，例如“找停车场”</translation>
    </message>
</context>
<context>
    <name>CallCard</name>
    <message>
        <location filename="../controls/CallCard.qml" line="51"/>
        <source>Calling…</source>
        <translation>正在呼叫…</translation>
    </message>
    <message>
        <location filename="../controls/CallCard.qml" line="51"/>
        <source>In call</source>
        <translation>通话中</translation>
    </message>
    <message>
        <location filename="../controls/CallCard.qml" line="51"/>
        <source>Simulated</source>
        <translation>模拟</translation>
    </message>
</context>
<context>
    <name>ClimateBarPanel</name>
    <message>
        <location filename="../panels/ClimateBarPanel.qml" line="30"/>
        <source>%1°</source>
        <translation>%1°</translation>
    </message>
    <message>
        <location filename="../panels/ClimateBarPanel.qml" line="63"/>
        <source>Off</source>
        <translation>关</translation>
    </message>
</context>
<context>
    <name>ClusterPanel</name>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="19"/>
        <source>Eco</source>
        <translation>经济</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="20"/>
        <source>Sport</source>
        <translation>运动</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="21"/>
        <source>Comfort</source>
        <translation>舒适</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="88"/>
        <source>km/h</source>
        <translation>公里/小时</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="122"/>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="135"/>
        <source>Range</source>
        <translation>续航</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="142"/>
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../Main.qml" line="22"/>
        <source>AI Cockpit</source>
        <translation>AI 座舱</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../panels/MapPanel.qml" line="24"/>
        <source>Loading map…</source>
        <translation>地图加载中…</translation>
    </message>
</context>
<context>
    <name>NowPlayingCard</name>
    <message>
        <location filename="../controls/NowPlayingCard.qml" line="56"/>
        <source>%1 · simulated library</source>
        <translation>%1 · 模拟曲库</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <location filename="../controls/ResultCard.qml" line="32"/>
        <source>%1 m</source>
        <translation>%1 米</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="32"/>
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="100"/>
        <source>Simulated</source>
        <translation>模拟</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="100"/>
        <source>Simulated data</source>
        <translation>模拟数据</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="121"/>
        <source>%1 free</source>
        <translation>空位 %1</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="129"/>
        <source>¥%1/h</source>
        <translation>¥%1/小时</translation>
    </message>
</context>
<context>
    <name>StatusBarPanel</name>
    <message>
        <location filename="../panels/StatusBarPanel.qml" line="62"/>
        <source>Model %1 is %2 — run: %3</source>
        <translation>模型 %1 状态：%2 — 运行：%3</translation>
    </message>
    <message>
        <location filename="../panels/StatusBarPanel.qml" line="66"/>
        <source> (+%1 more)</source>
        <translation>（另有 %1 个）</translation>
    </message>
    <message>
        <location filename="../panels/StatusBarPanel.qml" line="81"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../panels/StatusBarPanel.qml" line="81"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../panels/StatusBarPanel.qml" line="87"/>
        <source>Cloud voice</source>
        <translation>云端语音</translation>
    </message>
    <message>
        <location filename="../panels/StatusBarPanel.qml" line="87"/>
        <source>Local voice</source>
        <translation>本地语音</translation>
    </message>
</context>
<context>
    <name>TrafficLightPanel</name>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="42"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="52"/>
        <source>No signal data</source>
        <translation>无信号灯数据</translation>
    </message>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="59"/>
        <source>in %1 m</source>
        <translation>距离 %1 米</translation>
    </message>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="59"/>
        <source>Waiting at the light</source>
        <translation>正在等灯</translation>
    </message>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="76"/>
        <source>%1–%2 km/h</source>
        <translation>%1–%2 公里/小时</translation>
    </message>
</context>
</TS>
