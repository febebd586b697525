"""Aliyun's and Tencent Cloud's SMS APIs as they answer, on loopback (no test reaches the internet).

Each server checks the request as the provider would (Aliyun: an RPC-style call, parameters in
the query, the action in ``x-acs-action``, signed ACS3-HMAC-SHA256; Tencent: a TC3-HMAC-SHA256
signed JSON POST),
records it, and answers with the next behaviour a test queued: "ok", "template" (a template
the provider has not approved), "limit" (the phone's frequency limit) or "hang" (no answer
before the client's timeout; the server then notes that nobody read its answer).
"""

import hashlib
import hmac
import json
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ALIYUN_KEY_ID, ALIYUN_SECRET = "LTAI-test-key", "aliyun-test-secret"
TENCENT_ID, TENCENT_KEY = "AKID-test", "tencent-test-key"


@dataclass
class Call:
    action: str
    params: dict
    answered: bool = True


@dataclass
class FakeProvider:
    hang_seconds: float = 2.5
    behaviours: list = field(default_factory=list)
    calls: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def next_behaviour(self):
        return self.behaviours.pop(0) if self.behaviours else "ok"

    def sends(self, answered=True):
        return [c for c in self.calls if c.action == "SendSms" and c.answered == answered]


def _aliyun_encode(text):
    return urllib.parse.quote(str(text), safe="~")


def aliyun_signature(method, path, query, headers, secret):
    """Aliyun's V3 signature (ACS3-HMAC-SHA256), as its current SDKs sign every RPC call: the
    sorted query, the signed headers and the payload's hash, in one canonical request."""
    auth = headers.get("authorization", "")
    algorithm, _sep, rest = auth.partition(" ")
    parts = dict(item.strip().split("=", 1) for item in rest.split(",") if "=" in item)
    names = parts.get("SignedHeaders", "").split(";")
    canonical_query = "&".join(f"{_aliyun_encode(k)}={_aliyun_encode(v)}" for k, v in sorted(query))
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in names)
    canonical = "\n".join([method, path, canonical_query, canonical_headers, parts.get("SignedHeaders", ""),
                           headers.get("x-acs-content-sha256", "")])
    to_sign = f"{algorithm}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    expected = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return parts.get("Credential", ""), hmac.compare_digest(expected, parts.get("Signature", ""))


def tencent_signature(headers, body, secret_key):
    auth = headers["Authorization"]
    algorithm, _sep, rest = auth.partition(" ")
    parts = dict(item.strip().split("=", 1) for item in rest.split(","))
    key_id, date, service, _tail = parts["Credential"].split("/")
    names = parts["SignedHeaders"].split(";")
    canonical_headers = "".join(f"{name}:{headers[name]}\n" for name in names)
    canonical = "\n".join(["POST", "/", "", canonical_headers, parts["SignedHeaders"],
                           hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join([algorithm, headers["X-TC-Timestamp"], f"{date}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])

    def sign(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    k = sign(sign(sign(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return key_id, hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest() == parts["Signature"]


class _Handler(BaseHTTPRequestHandler):
    provider: FakeProvider

    def log_message(self, *args):
        pass

    def _reply(self, payload, status=200, call=None):
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            if call is not None:
                call.answered = False

    def _hang(self, call):
        call.answered = False  # the client gives up before any answer: nothing is sent
        time.sleep(self.provider.hang_seconds)


class AliyunHandler(_Handler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True) if length else []
        query = urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        params = dict(query + form)
        request_id = str(uuid.uuid4()).upper()
        headers = {name.lower(): value for name, value in self.headers.items()}
        key_id, valid = aliyun_signature("POST", urllib.parse.urlsplit(self.path).path, query, headers,
                                         ALIYUN_SECRET)
        if key_id != ALIYUN_KEY_ID or not valid:
            return self._reply({"RequestId": request_id, "Code": "SignatureDoesNotMatch",
                                "Message": "Specified signature is not matched with our calculation."}, status=400)
        call = Call(headers.get("x-acs-action", ""), params)
        self.provider.calls.append(call)
        if call.action == "QuerySendDetails":
            return self._reply({"Code": "OK", "Message": "OK", "RequestId": request_id, "TotalCount": 1,
                                "SmsSendDetailDTOs": {"SmsSendDetailDTO": [{
                                    "PhoneNum": params["PhoneNumber"], "SendStatus": 3, "ErrCode": "DELIVERED",
                                    "TemplateCode": "SMS_0", "Content": "…", "SendDate": "2026-12-02 10:00:00",
                                    "ReceiveDate": "2026-12-02 10:00:05", "OutId": ""}]}})
        behaviour = self.provider.next_behaviour()
        if behaviour == "hang":
            return self._hang(call)
        if behaviour == "template":
            return self._reply({"RequestId": request_id, "Code": "isv.SMS_TEMPLATE_ILLEGAL",
                                "Message": "该账号下找不到对应模板"}, call=call)
        if behaviour == "limit":
            return self._reply({"RequestId": request_id, "Code": "isv.BUSINESS_LIMIT_CONTROL",
                                "Message": "触发分钟级流控Permits:1"}, call=call)
        self._reply({"RequestId": request_id, "Code": "OK", "Message": "OK",
                     "BizId": f"{len(self.provider.calls)}00000000000^0"}, call=call)


class TencentHandler(_Handler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request_id = str(uuid.uuid4())
        headers = {"Authorization": self.headers.get("Authorization", ""),
                   "X-TC-Timestamp": self.headers.get("X-TC-Timestamp", ""),
                   "content-type": self.headers.get("Content-Type", ""), "host": self.headers.get("Host", "")}
        try:
            key_id, valid = tencent_signature(headers, body, TENCENT_KEY)
        except (KeyError, ValueError):
            key_id, valid = "", False
        if key_id != TENCENT_ID or not valid:
            return self._reply({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                                       "Message": "The provided credentials could not be validated."},
                                             "RequestId": request_id}})
        params = json.loads(body)
        call = Call(self.headers.get("X-TC-Action", ""), params)
        self.provider.calls.append(call)
        behaviour = self.provider.next_behaviour()
        if behaviour == "hang":
            return self._hang(call)
        if behaviour == "template":
            return self._reply({"Response": {"Error": {
                "Code": "FailedOperation.TemplateIncorrectOrUnapproved",
                "Message": "template is not approved or request content does not match the approved template content"},
                "RequestId": request_id}}, call=call)
        phone = params["PhoneNumberSet"][0]
        status = {"SerialNo": f"2433:{len(self.provider.calls)}1234567890", "PhoneNumber": phone, "Fee": 1,
                  "SessionContext": params.get("SessionContext", ""), "Code": "Ok", "Message": "send success",
                  "IsoCode": "CN"}
        if behaviour == "limit":
            status.update(SerialNo="", Fee=0, Code="LimitExceeded.PhoneNumberThirtySecondLimit",
                          Message="the number of sms messages sent from a single mobile number within 30 seconds "
                                  "exceeds the upper limit")
        self._reply({"Response": {"SendStatusSet": [status], "RequestId": request_id}}, call=call)


def start(handler_class, **kwargs):
    provider = FakeProvider(**kwargs)
    handler = type(handler_class.__name__, (handler_class,), {"provider": provider})
    provider.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    provider.server.daemon_threads = True
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    return provider, thread
