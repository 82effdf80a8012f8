"""Who may use a worker that serves HTTP: the holders of its shared-secret token."""
import hmac
import ipaddress
import os
import socket

TOKEN_VARIABLE = "VIEWFINDER_WORKER_TOKEN"


class AccessError(Exception):
    pass


class TokenCheck:
    def __init__(self, token):
        self.expected = None if token is None else ("Bearer " + token).encode()

    @property
    def summary(self):
        return "a token is required" if self.expected else "no token: loopback only"

    def admits(self, authorization):
        if self.expected is None:
            return True
        # Constant time, so the answer's timing says nothing about how much of a guess was right.
        return hmac.compare_digest((authorization or "").encode(), self.expected)


def load_token(token_file=None, environment=os.environ):
    """The token from --worker-token-file, else $VIEWFINDER_WORKER_TOKEN, else None; surrounding white space is not part
    of it (a file written by `echo` ends in a newline)."""
    if token_file:
        try:
            with open(token_file, encoding="utf-8") as file:
                token = file.read().strip()
        except OSError as error:
            raise AccessError("cannot read the token file %s: %s" % (token_file, error.strerror))
        where = "the token file %s" % token_file
    else:
        token = environment.get(TOKEN_VARIABLE)
        if token is None:
            return None
        token = token.strip()
        where = "$" + TOKEN_VARIABLE
    if not token:
        raise AccessError("%s is empty" % where)
    if any(ord(character) < 33 or ord(character) > 126 for character in token):
        raise AccessError("%s holds spaces or characters an HTTP header cannot carry: use printable ASCII, "
                          "as `openssl rand -hex 32` writes" % where)
    return token


def is_loopback(host):
    """Whether only this machine can reach HOST: a loopback address, or a name that resolves only to such."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    if not host:
        return False
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(address.split("%")[0]).is_loopback for address in addresses)


def check_listening(host, token):
    """Refuses to serve beyond this machine without a token: anyone on the network could otherwise use the
    models (CPU, memory) and feed the decoders whatever bytes they like."""
    if token is None and not is_loopback(host):
        raise AccessError(
            "refusing to listen on %s without a token: anyone who can reach it could use the models. Make one "
            "(`openssl rand -hex 32 > worker.token`) and pass --worker-token-file worker.token (or set $%s) here "
            "and on every indexer" % (host or "every address", TOKEN_VARIABLE))
