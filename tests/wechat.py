"""A local stand-in for api.weixin.qq.com, on loopback, answering as WeChat's API does.

WeChat answers HTTP 200 with a JSON body for success and for most failures (``errcode``,
``errmsg``); the shapes here follow its documentation for each interface:

- ``GET /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code`` →
  ``{"openid", "session_key", "unionid"?}`` or ``{"errcode": 40029, "errmsg": "invalid code"}``
  (``45011`` when rate limited, ``40163`` for a code used twice, ``40125`` for a wrong secret);
- ``POST /cgi-bin/stable_token`` (JSON ``grant_type, appid, secret, force_refresh``) and
  ``GET /cgi-bin/token`` → ``{"access_token", "expires_in": 7200}``;
- ``POST /wxa/business/getuserphonenumber?access_token`` (JSON ``code``, ``openid``?) →
  ``{"errcode": 0, "errmsg": "ok", "phone_info": {"phoneNumber", "purePhoneNumber", "countryCode",
  "watermark"}}``; ``40001`` for an access_token that is not (or no longer) valid;
- ``POST /cgi-bin/message/subscribe/send?access_token`` (JSON ``touser, template_id, data, page``)
  → ``{"errcode": 0, "errmsg": "ok", "msgid"}``; ``43101`` when the user has not accepted (or
  has used up) that template, ``40037`` for a template id the app does not have;
- the website app's OAuth, as allauth's weixin provider calls it: ``GET /sns/oauth2/access_token``
  (``appid, secret, code, grant_type``) → ``{"access_token", "openid", "unionid"?, ...}`` and
  ``GET /sns/userinfo`` (``access_token, openid``) → ``{"openid", "nickname", "unionid"?, ...}``.

Anything named in ``slow`` sleeps longer than the client's timeout. Every request is kept in
``requests`` for tests to read what was sent.
"""

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

APP_ID = "wx-test-miniprogram"
SECRET = "test-miniprogram-secret"  # noqa: S105
WEB_APP_ID = "wx-test-website"
WEB_SECRET = "test-website-secret"  # noqa: S105


class FakeWeChat:
    def __init__(self):
        #: js_code -> {"openid", "unionid"?}; a code works once, as WeChat's do.
        self.sessions = {}
        #: getPhoneNumber code -> (openid or None, country code, number)
        self.phones = {}
        #: template ids the app has; (openid, template_id) -> one-time grants the user gave.
        self.templates = set()
        self.grants = {}
        #: codes (or "stable_token", "subscribe") answered with this errcode, or made slow.
        self.errors = {}
        self.slow = set()
        self.sleep = 2.0
        self.tokens = []
        self.revoked = set()
        self.requests = []
        self.used_codes = set()
        #: the website app's OAuth: code -> {"openid", "unionid"?, "nickname"?}
        self.web_users = {}
        self.web_tokens = {}
        self._ids = itertools.count(1)
        self.lock = threading.Lock()

    # --- what tests read --------------------------------------------------------------------
    def calls(self, path):
        return [r for r in self.requests if r["path"] == path]

    # --- the interfaces ---------------------------------------------------------------------
    def answer(self, method, path, query, body):
        with self.lock:
            self.requests.append({"method": method, "path": path, "query": query, "body": body})
        if path == "/sns/jscode2session":
            return self.jscode2session(query)
        if path in ("/cgi-bin/stable_token", "/cgi-bin/token"):
            data = body if path.endswith("stable_token") else query
            return self.token(data)
        if path == "/sns/oauth2/access_token":
            return self.web_access_token(query)
        if path == "/sns/userinfo":
            return self.web_userinfo(query)
        if path == "/wxa/business/getuserphonenumber":
            return self.with_token(query, lambda: self.phone(body))
        if path == "/cgi-bin/message/subscribe/send":
            return self.with_token(query, lambda: self.subscribe_send(body))
        return {"errcode": 40066, "errmsg": "invalid url"}

    def maybe_slow(self, key):
        if key in self.slow:
            time.sleep(self.sleep)

    def jscode2session(self, query):
        code = query.get("js_code", "")
        self.maybe_slow(code)
        if query.get("appid") != APP_ID:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if query.get("secret") != SECRET:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if code in self.errors:
            errcode = self.errors[code]
            return {"errcode": errcode, "errmsg": {45011: "api minute-quota reach limit  mustslower  retry next minute"}
                    .get(errcode, "error")}
        if code in self.used_codes:
            return {"errcode": 40163, "errmsg": "code been used"}
        if code not in self.sessions:
            return {"errcode": 40029, "errmsg": "invalid code"}
        self.used_codes.add(code)
        return {**self.sessions[code], "session_key": f"session-key-{next(self._ids)}"}

    # --- the website app's OAuth (allauth's weixin provider) -------------------------------
    def web_access_token(self, query):
        code = query.get("code", "")
        if query.get("appid") != WEB_APP_ID or query.get("secret") != WEB_SECRET:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if code in self.used_codes or code not in self.web_users:
            return {"errcode": 40029, "errmsg": "invalid code"}
        self.used_codes.add(code)
        user = self.web_users[code]
        token = f"WEB-TOKEN-{next(self._ids)}"
        self.web_tokens[token] = user
        return {"access_token": token, "expires_in": 7200, "refresh_token": f"R-{token}",
                "openid": user["openid"], "scope": "snsapi_login", **({"unionid": user["unionid"]}
                                                                      if user.get("unionid") else {})}

    def web_userinfo(self, query):
        user = self.web_tokens.get(query.get("access_token"))
        if user is None or user["openid"] != query.get("openid"):
            return {"errcode": 40001, "errmsg": "invalid credential"}
        return {"openid": user["openid"], "nickname": user.get("nickname", ""), "sex": 0, "province": "",
                "city": "", "country": "CN", "headimgurl": "", "privilege": [],
                **({"unionid": user["unionid"]} if user.get("unionid") else {})}

    def token(self, data):
        self.maybe_slow("stable_token")
        if data.get("appid") != APP_ID or data.get("secret") != SECRET:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if "stable_token" in self.errors:
            return {"errcode": self.errors["stable_token"], "errmsg": "error"}
        token = f"ACCESS-TOKEN-{next(self._ids)}"
        self.tokens.append(token)
        return {"access_token": token, "expires_in": 7200}

    def with_token(self, query, then):
        token = query.get("access_token")
        if token not in self.tokens or token in self.revoked:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        return then()

    def phone(self, body):
        code = body.get("code", "")
        self.maybe_slow(code)
        if code in self.errors:
            return {"errcode": self.errors[code], "errmsg": "error"}
        if code in self.used_codes or code not in self.phones:
            return {"errcode": 40029, "errmsg": "invalid code"}
        owner, country, number = self.phones[code]
        if body.get("openid") and owner and body["openid"] != owner:
            return {"errcode": 40029, "errmsg": "invalid code, openid mismatch"}
        self.used_codes.add(code)
        return {"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": number if country == "86" else f"+{country}{number}",
            "purePhoneNumber": number, "countryCode": country,
            "watermark": {"timestamp": int(time.time()), "appid": APP_ID}}}

    def subscribe_send(self, body):
        if "subscribe" in self.slow:
            # The request never got through: the client times out and nothing is used up.
            time.sleep(self.sleep)
            return {"errcode": -1, "errmsg": "system error"}
        if "subscribe" in self.errors:
            return {"errcode": self.errors["subscribe"], "errmsg": "error"}
        template = body.get("template_id")
        if template not in self.templates:
            return {"errcode": 40037, "errmsg": "invalid template_id"}
        key = (body.get("touser"), template)
        with self.lock:
            if self.grants.get(key, 0) < 1:
                return {"errcode": 43101, "errmsg": "user refuse to accept the msg"}
            self.grants[key] -= 1
        return {"errcode": 0, "errmsg": "ok", "msgid": next(self._ids)}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeWeChat

    def log_message(self, *args):
        pass

    def _reply(self, method):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        body = {}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            raw = self.rfile.read(length)
            if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                # allauth's weixin provider POSTs the OAuth code exchange as a form; WeChat reads
                # the same parameters from the form as from the query string.
                query.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
            else:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
        answer = self.server.fake.answer(method, url.path, query, body)
        data = json.dumps(answer, ensure_ascii=False).encode()
        try:
            self.send_response(200)
            # WeChat labels its JSON text/plain on some interfaces; clients must not rely on it.
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def do_GET(self):
        self._reply("GET")

    def do_POST(self):
        self._reply("POST")


def serve():
    """(fake, base URL, stop function): a server on 127.0.0.1 on a free port."""
    fake = FakeWeChat()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.fake = fake
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)

    return fake, f"http://127.0.0.1:{server.server_address[1]}", stop
