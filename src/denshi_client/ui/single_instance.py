"""One window per Windows user: a second start asks the first, over a local socket, to show itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtNetwork import QLocalServer, QLocalSocket


def ask_running_to_raise(key: str, timeout_ms: int = 1000) -> bool:
    sock = QLocalSocket()
    sock.connectToServer(key)
    if not sock.waitForConnected(timeout_ms):
        return False
    sock.write(b"raise\n")
    sock.waitForBytesWritten(timeout_ms)
    sock.disconnectFromServer()
    return True


def listen(key: str, on_raise: Callable[[], None]) -> QLocalServer:
    server = QLocalServer()
    server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
    if not server.listen(key):
        QLocalServer.removeServer(key)  # left over by a crashed run (Unix socket file)
        server.listen(key)

    def on_new() -> None:
        while server.hasPendingConnections():
            conn = server.nextPendingConnection()
            conn.readyRead.connect(lambda c=conn: _read(c))

    def _read(conn: QLocalSocket) -> None:
        if bytes(conn.readAll().data()).startswith(b"raise"):
            on_raise()
        conn.disconnectFromServer()

    server.newConnection.connect(on_new)
    return server
