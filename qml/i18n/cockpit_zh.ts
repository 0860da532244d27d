<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AssistantPanel</name>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="23"/>
        <source>Listening…</source>
        <translation>正在聆听…</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="24"/>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="25"/>
        <source>Speaking</source>
        <translation>正在回答</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="26"/>
        <source>How can I help?</source>
        <translation>有什么可以帮您？</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="70"/>
        <source>Release to send</source>
        <translation>松开发送</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="70"/>
        <source>Hold to talk  ·  Space</source>
        <translation>按住说话  ·  空格键</translation>
    </message>
    <message>
        <location filename="../panels/AssistantPanel.qml" line="150"/>
        <source>Type a request, e.g. “find parking”</source>
        <translation>输入请求，例如“找停车场”</translation>
    </message>
</context>
<context>
    <name>ClusterPanel</name>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="18"/>
        <source>Eco</source>
        <translation>经济</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="19"/>
        <source>Sport</source>
        <translation>运动</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="20"/>
        <source>Comfort</source>
        <translation>舒适</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="86"/>
        <source>km/h</source>
        <translation>公里/小时</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="120"/>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="133"/>
        <source>Range</source>
        <translation>续航</translation>
    </message>
    <message>
        <location filename="../panels/ClusterPanel.qml" line="140"/>
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../Main.qml" line="21"/>
        <source>AI Cockpit</source>
        <translation>AI 座舱</translation>
    </message>
</context>
<context>
    <name>MapPanel</name>
    <message>
        <location filename="../panels/MapPanel.qml" line="23"/>
        <source>Loading map…</source>
        <translation>地图加载中…</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <location filename="../controls/ResultCard.qml" line="27"/>
        <source>%1 m</source>
        <translation>%1 米</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="27"/>
        <source>%1 km</source>
        <translation>%1 公里</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="95"/>
        <source>Simulated</source>
        <translation>模拟</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="95"/>
        <source>Simulated data</source>
        <translation>模拟数据</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="116"/>
        <source>%1 free</source>
        <translation>空位 %1</translation>
    </message>
    <message>
        <location filename="../controls/ResultCard.qml" line="124"/>
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
        <location filename="../panels/TrafficLightPanel.qml" line="41"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="51"/>
        <source>No signal data</source>
        <translation>无信号灯数据</translation>
    </message>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="57"/>
        <source>in %1 m</source>
        <translation>距离 %1 米</translation>
    </message>
    <message>
        <location filename="../panels/TrafficLightPanel.qml" line="74"/>
        <source>%1–%2 km/h</source>
        <translation>%1–%2 公里/小时</translation>
    </message>
</context>
</TS>
