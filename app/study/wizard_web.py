"""The Wizard-of-Oz operator page: http://127.0.0.1:PORT/?token=… (printed at start).

Localhost only (bound to 127.0.0.1, Host header checked) and guarded by a random token, so nobody
else on the network, and no web page in the operator's browser, can drive the car. The page
shows the live transcript, the agent's proposal for the waiting request, the task and the
operator controls; it polls `/state` twice a second and POSTs decisions. Standard library only.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from app.study.wizard import WizardConsole, WizardError, load_messages

log = logging.getLogger(__name__)


class WizardServer:
    def __init__(
        self, console: WizardConsole, status=lambda: {}, operator=lambda action, text: None, port: int = 0
    ):
        self.console, self.status, self.operator = console, status, operator
        self.token = secrets.token_urlsafe(16)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, fmt, *args):  # the cockpit log, not stderr
                log.debug("wizard page: " + fmt, *args)

            def _ok(self) -> bool:
                host = (self.headers.get("Host") or "").split(":")[0]
                token = parse_qs(urlparse(self.path).query).get("token", [""])[0] or self.headers.get(
                    "X-Token", ""
                )
                if host not in ("127.0.0.1", "localhost") or not secrets.compare_digest(token, server.token):
                    self._send(
                        403, {"error": "forbidden: open the address printed at start (with its token)"}
                    )
                    return False
                return True

            def _send(self, code: int, body: Any, kind: str = "application/json") -> None:
                data = (
                    body.encode() if isinstance(body, str) else json.dumps(body, ensure_ascii=False).encode()
                )
                self.send_response(code)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                if not self._ok():
                    return
                path = urlparse(self.path).path
                if path == "/":
                    self._send(200, PAGE, "text/html")
                elif path == "/state":
                    try:
                        messages = load_messages(server.console.messages_file)
                    except Exception as exc:  # a typo in the file the wizard is editing
                        messages = [{"id": "", "en": f"messages file error: {exc}", "zh": "", "slots": []}]
                    self._send(
                        200, {**server.console.state(), "status": server.status(), "messages": messages}
                    )
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self):  # noqa: N802
                if not self._ok():
                    return
                try:
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                    path = urlparse(self.path).path
                    if path == "/decide":
                        server.console.decide(body)
                    elif path == "/mode":
                        server.console.set_mode(body.get("mode", ""))
                    elif path == "/operator":
                        server.operator(body.get("action", ""), body.get("text", ""))
                    else:
                        return self._send(404, {"error": "not found"})
                    self._send(200, {"ok": True})
                except (WizardError, ValueError, KeyError) as exc:
                    self._send(400, {"error": str(exc)})

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="wizard-web", daemon=True)

    def start(self) -> WizardServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Wizard · AI Cockpit study</title>
<style>
body{font:15px system-ui,"Noto Sans CJK SC",sans-serif;margin:0;background:#0f141c;color:#eef2f8}
main{display:grid;grid-template-columns:1fr 1fr;gap:12px;padding:12px}
section{background:#171e29;border:1px solid #222b39;border-radius:10px;padding:10px}
h2{font-size:14px;margin:0 0 8px;color:#3fd0ff;text-transform:uppercase;letter-spacing:.05em}
button{background:#143447;color:#eef2f8;border:1px solid #3fd0ff;border-radius:6px;padding:6px 10px;margin:2px;cursor:pointer}
button.go{background:#13a35a;border-color:#35d07f}button.warn{background:#5a3a00;border-color:#ffb020}
textarea,input,select{background:#0f141c;color:#eef2f8;border:1px solid #222b39;border-radius:6px;padding:5px;width:100%;box-sizing:border-box}
#log div{padding:3px 0;border-bottom:1px solid #222b39}.who{color:#8d97a9;width:70px;display:inline-block}
#pending{min-height:80px}.none{color:#566174}pre{white-space:pre-wrap;margin:4px 0}
</style></head><body><main>
<section><h2>Session</h2><div id="status"></div>
<div><button onclick="op('next')">F5 Start / next</button><button class="go" onclick="op('success')">F6 Success</button>
<button class="warn" onclick="op('failure')">F7 Failure</button><button onclick="op('pause')">F8 Pause</button></div>
<div style="display:flex;gap:6px;margin-top:6px"><input id="note" placeholder="note / 备注"><button onclick="op('note',val('note'));document.getElementById('note').value=''">Save note</button></div>
<div style="margin-top:8px">Mode: <select id="mode" onchange="post('/mode',{mode:this.value})">
<option value="off">off: agent answers</option><option value="supervised">supervised: I check each answer</option>
<option value="full">full: I answer everything</option></select></div></section>
<section><h2>Waiting request</h2><div id="pending" class="none">none</div>
<button class="go" onclick="decide({action:'pass'})">Let it through</button></section>
<section><h2>Reply</h2><textarea id="reply" rows="2" placeholder="typed reply (spoken by the car)"></textarea>
<select id="lang" style="width:120px"><option value="">turn language</option><option value="en">English</option><option value="zh">中文</option></select>
<button onclick="decide({action:'reply',text:val('reply'),language:val('lang')||undefined})">Send reply</button>
<h2 style="margin-top:10px">Tool call</h2><input id="tool" placeholder="tool, e.g. find_parking">
<input id="args" placeholder='args JSON, e.g. {"near": "外滩"}'><input id="tooltext" placeholder="what the car says">
<button onclick="decide({action:'tool',tool:val('tool'),args:JSON.parse(val('args')||'{}'),text:val('tooltext'),language:val('lang')||undefined})">Run tool</button></section>
<section><h2>Prepared messages</h2><select id="msg" onchange="slots()"></select><div id="slots"></div>
<button onclick="sendCanned()">Send message</button></section>
<section style="grid-column:1/3"><h2>Live transcript</h2><div id="log"></div></section>
</main><script>
const T=new URLSearchParams(location.search).get('token');let S={},msgs=[];
function val(id){return document.getElementById(id).value.trim()}
async function post(p,b){const r=await fetch(p+'?token='+T,{method:'POST',body:JSON.stringify(b)});
 if(!r.ok){alert((await r.json()).error)}}
function decide(d){post('/decide',d)}function op(a,t){post('/operator',{action:a,text:t||''})}
function esc(s){return String(s??'').replace(/[&<>]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]))}
function slots(){const m=msgs.find(m=>m.id===val('msg'));document.getElementById('slots').innerHTML=m?
 `<pre>${esc(m.en)}\\n${esc(m.zh)}</pre>`+m.slots.map(s=>`<input data-slot="${s}" placeholder="[${s}]">`).join(''):''}
function sendCanned(){const sl={};document.querySelectorAll('[data-slot]').forEach(e=>sl[e.dataset.slot]=e.value);
 decide({action:'canned',id:val('msg'),slots:sl,language:val('lang')||undefined})}
async function tick(){try{const r=await fetch('/state?token='+T);S=await r.json()}catch(e){return}
 const st=S.status||{};document.getElementById('status').innerHTML=
  `<b>${esc(st.task||'no task')}</b> · ${esc(st.phase)} · ${st.timeLeft??''} s left · criterion ${st.criterionMet?'met':'not met'}<br>${esc(st.operatorLine)}`;
 const md=document.getElementById('mode');if(document.activeElement!==md)md.value=S.mode;
 const p=S.pending;document.getElementById('pending').innerHTML=p?`<b>${esc(p.transcript)}</b> (${p.language})`+
  (p.proposal?`<pre>agent: ${esc(JSON.stringify(p.proposal.calls))}\\n“${esc(p.proposal.reply)}”</pre>`:'<pre>agent not consulted (full wizard)</pre>'):'none';
 document.getElementById('log').innerHTML=(S.history||[]).slice().reverse().map(h=>
  `<div><span class="who">${esc(h.who)}</span>${esc(h.text)}</div>`).join('');
 if(JSON.stringify(S.messages)!==JSON.stringify(msgs)){msgs=S.messages;const sel=document.getElementById('msg'),v=sel.value;
  sel.innerHTML=msgs.map(m=>`<option value="${m.id}">${esc(m.id)}: ${esc(m.en)}</option>`).join('');if(v)sel.value=v;slots()}}
setInterval(tick,500);tick();
</script></body></html>"""
