"""A small Chrome DevTools Protocol client on Python's standard library alone.

scripts/browser-test.py drives headless Chromium with it. CDP is JSON over one WebSocket, and
the part of RFC 6455 a client needs for that (one handshake, masked text frames out, text or
fragmented frames in, ping/pong, close) is short enough to keep here, so the browser test needs
no package from PyPI and runs on a machine that reaches only Debian's archive.
"""

import base64
import hashlib
import json
import os
import socket
import struct
import time
import urllib.parse


class CDPError(Exception):
    """A protocol error answer, a closed connection or a timeout."""


class WebSocket:
    """A blocking WebSocket client: text messages only, as CDP uses."""

    GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, url, timeout=30.0):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws":
            raise CDPError(f"only ws:// URLs are supported, got {url}")
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        # Our own buffer, not sock.makefile(): a file object is unusable after one timeout, and
        # receive() times out on purpose whenever no message is waiting.
        self.buffer = bytearray()
        key = base64.b64encode(os.urandom(16)).decode()
        path = parts.path + ("?" + parts.query if parts.query else "")
        # No Origin header: Chromium refuses DevTools connections from web origins unless it is
        # started with --remote-allow-origins, and a client without one is not a web page.
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, rest = bytes(self.buffer).split(b"\r\n\r\n", 1)
        self.buffer = bytearray(rest)
        status, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if " 101 " not in status:
            raise CDPError(f"WebSocket handshake with {url} failed: {status.strip()}")
        expected = base64.b64encode(hashlib.sha1((key + self.GUID).encode()).digest()).decode()
        if headers.get("sec-websocket-accept") != expected:
            raise CDPError("WebSocket handshake: wrong Sec-WebSocket-Accept")

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        length = len(payload)
        # Client frames must be masked (RFC 6455 section 5.3).
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack("!H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", length)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def _fill(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise CDPError("the browser closed the DevTools connection")
        self.buffer += chunk

    def _read_exact(self, count):
        # A timeout leaves what was read in the buffer, so the next call resumes intact.
        while len(self.buffer) < count:
            self._fill()
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def receive(self, timeout):
        """The next text message, or None when none arrives within `timeout` seconds."""
        self.sock.settimeout(timeout)
        message = b""
        try:
            while True:
                first, second = self._read_exact(2)
                # A frame has started: read the rest of it without the short timeout, so a
                # large message (a screenshot) is never cut in the middle.
                self.sock.settimeout(60)
                opcode, fin = first & 0x0F, first & 0x80
                length = second & 0x7F
                if length == 126:
                    (length,) = struct.unpack("!H", self._read_exact(2))
                elif length == 127:
                    (length,) = struct.unpack("!Q", self._read_exact(8))
                if second & 0x80:  # servers do not mask, but tolerate it
                    mask = self._read_exact(4)
                    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read_exact(length)))
                else:
                    payload = self._read_exact(length)
                if opcode == 0x8:
                    raise CDPError("the browser closed the DevTools connection")
                if opcode == 0x9:
                    self._send_frame(0xA, payload)
                    continue
                if opcode == 0xA:
                    continue
                message += payload
                if fin:
                    return message.decode()
        except (socket.timeout, TimeoutError):
            if message:
                raise CDPError("timed out in the middle of a DevTools message")
            return None

    def close(self):
        try:
            self._send_frame(0x8, b"")
        except OSError:
            pass
        self.sock.close()


class Page:
    """One page target: commands, the events that arrive meanwhile, and helpers built on them."""

    def __init__(self, websocket_url):
        self.ws = WebSocket(websocket_url)
        self.next_id = 0
        self.events = []  # every event received, in order; callers filter what they need

    def call(self, method, timeout=30.0, **params):
        self.next_id += 1
        request_id = self.next_id
        self.ws.send(json.dumps({"id": request_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError(f"{method}: no answer within {timeout:.0f}s")
            text = self.ws.receive(left)
            if text is None:
                continue
            message = json.loads(text)
            if "method" in message:
                self.events.append(message)
            elif message.get("id") == request_id:
                if "error" in message:
                    raise CDPError(f"{method}: {message['error'].get('message')} {message['error'].get('data', '')}".strip())
                return message.get("result", {})

    def pump(self, seconds):
        """Collects events for `seconds`."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            text = self.ws.receive(left)
            if text is not None:
                message = json.loads(text)
                if "method" in message:
                    self.events.append(message)

    def evaluate(self, expression, timeout=30.0):
        """The value of a JavaScript expression (awaited when it is a promise)."""
        result = self.call(
            "Runtime.evaluate", timeout=timeout, expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise CDPError(f"JavaScript error: {text}")
        return result["result"].get("value")

    def wait_for(self, expression, what, timeout=20.0):
        """Polls a JavaScript expression until it is truthy; its value, or CDPError naming `what`."""
        deadline = time.monotonic() + timeout
        last_error = None
        # An element cannot be returned by value; it stands for true (it was found).
        expression = f"(() => {{ const value = ({expression}); return value instanceof Node ? true : value; }})()"
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
                if value:
                    return value
            except CDPError as error:  # the page may be between two documents
                last_error = error
            self.pump(0.1)
        raise CDPError(f"timed out after {timeout:.0f}s waiting for {what}" + (f" ({last_error})" if last_error else ""))

    def navigate(self, url, timeout=30.0):
        self.call("Page.navigate", url=url)
        self.wait_for("document.readyState === 'complete'", f"{url} to load", timeout)

    def click(self, selector, what=None, element_expression=None):
        """A real mouse click (pressed, released) in the middle of the element.

        Dispatched through Input rather than element.click(), so it lands on whatever is on top
        at that point, as a person's click would: a covered or invisible button fails the test.
        """
        target = element_expression or f"document.querySelector({json.dumps(selector)})"
        # Scrolls the element into view, waits until it stops moving (smooth scrolling, dialogs
        # fading in), and checks that the element itself is what a click there would hit.
        box = self.evaluate(
            f"""(async () => {{
                const element = {target};
                if (!element) return {{error: "not found"}};
                element.scrollIntoView({{block: "center", inline: "center"}});
                const frame = () => new Promise(done => requestAnimationFrame(() => done()));
                let last = "";
                for (let i = 0; i < 50; i++) {{
                    await frame();
                    const r = element.getBoundingClientRect();
                    const now = [r.left, r.top, r.width, r.height].join();
                    if (now === last) break;
                    last = now;
                }}
                const r = element.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) return {{error: "not visible"}};
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                const hit = document.elementFromPoint(x, y);
                if (!hit || !(element === hit || element.contains(hit)))
                    return {{error: "covered by " + (hit ? hit.outerHTML.slice(0, 120) : "nothing")}};
                return {{x, y}};
            }})()"""
        )
        if not box or "error" in box:
            raise CDPError(f"cannot click {what or selector}: {box['error'] if box else 'no answer'}")
        x, y = box["x"], box["y"]
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.call("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.call("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def type_into(self, selector, text):
        """Focuses an input by clicking it and types `text` as keyboard input would insert it."""
        self.click(selector)
        self.call("Input.insertText", text=text)

    def screenshot(self, path, full_page=False):
        params = {"format": "png"}
        if full_page:
            metrics = self.call("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 16000), "scale": 1}
        data = self.call("Page.captureScreenshot", timeout=60, **params)["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        self.ws.close()
