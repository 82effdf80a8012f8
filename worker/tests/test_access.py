"""The HTTP worker's token: refused without it (401), admitted with it, through a path prefix too; and a worker
that would listen beyond loopback without one refuses to start."""
import os
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.error
import urllib.request

from viewfinder_worker import protocol
from viewfinder_worker.access import AccessError, TokenCheck, check_listening, load_token
from viewfinder_worker.http import make_server
from viewfinder_worker.service import Service

TOKEN = "3f9c0d5e8a7b41c2a6e0f1d2c3b4a596"


class ModelsOnly:
    """Answers hello without loading a model: the token check is in front of whatever the worker runs."""

    def models(self):
        return ["models-only"]


class TokenTests(unittest.TestCase):
    def setUp(self):
        self.server = make_server(Service(ModelsOnly()), "127.0.0.1", 0, TokenCheck(TOKEN))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = "http://127.0.0.1:%d" % self.server.server_address[1]

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def hello(self, path="/v1", authorization=None):
        request = urllib.request.Request(self.base + path, data=protocol.encode({"op": "hello"}), method="POST")
        if authorization is not None:
            request.add_header("Authorization", authorization)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                header, _ = protocol.decode(answer.read()[4:])
                return answer.status, header
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def test_the_right_token_is_admitted(self):
        status, header = self.hello(authorization="Bearer " + TOKEN)
        self.assertEqual(status, 200)
        self.assertEqual(header["models"], ["models-only"])

    def test_no_token_a_wrong_one_or_a_part_of_it_is_refused(self):
        for authorization in [None, "Bearer wrong", "Bearer " + TOKEN[:-1], "Bearer " + TOKEN + "0", TOKEN,
                              "Basic " + TOKEN, "bearer " + TOKEN]:
            status, said = self.hello(authorization=authorization)
            self.assertEqual(status, 401, authorization)
            self.assertIn("refused the token", said)

    def test_a_path_prefix_left_by_a_proxy_reaches_the_same_endpoint(self):
        self.assertEqual(self.hello("/gpu-a/v1", "Bearer " + TOKEN)[0], 200)
        self.assertEqual(self.hello("/gpu-a/v1", "Bearer wrong")[0], 401)
        self.assertEqual(self.hello("/v2", "Bearer " + TOKEN)[0], 404)

    def test_health_needs_no_token_and_says_nothing_else(self):
        with urllib.request.urlopen(self.base + "/gpu-a/health", timeout=10) as answer:
            self.assertEqual(answer.read(), b"ok\n")

    def test_one_connection_carries_a_refusal_then_an_answer(self):
        import http.client
        connection = http.client.HTTPConnection("127.0.0.1", self.server.server_address[1], timeout=10)
        frame = protocol.encode({"op": "hello"})
        connection.request("POST", "/v1", body=frame, headers={"Authorization": "Bearer wrong"})
        refused = connection.getresponse()
        refused.read()
        self.assertEqual(refused.status, 401)
        self.assertIn("Bearer", refused.getheader("WWW-Authenticate"))
        connection.request("POST", "/v1", body=frame, headers={"Authorization": "Bearer " + TOKEN})
        self.assertEqual(connection.getresponse().status, 200)
        connection.close()


class TokenSourceTests(unittest.TestCase):
    def test_a_file_is_read_without_its_newline(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token") as file:
            file.write(TOKEN + "\n")
            file.flush()
            self.assertEqual(load_token(file.name, environment={}), TOKEN)

    def test_the_file_wins_over_the_environment(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token") as file:
            file.write(TOKEN)
            file.flush()
            self.assertEqual(load_token(file.name, environment={"VIEWFINDER_WORKER_TOKEN": "other"}), TOKEN)
        self.assertEqual(load_token(None, environment={"VIEWFINDER_WORKER_TOKEN": "other"}), "other")
        self.assertIsNone(load_token(None, environment={}))

    def test_empty_missing_or_unsendable_tokens_are_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".token") as file:
            file.write("\n")
            file.flush()
            with self.assertRaisesRegex(AccessError, "is empty"):
                load_token(file.name, environment={})
        with self.assertRaisesRegex(AccessError, "cannot read the token file"):
            load_token("/nonexistent/worker.token", environment={})
        with self.assertRaisesRegex(AccessError, "HTTP header"):
            load_token(None, environment={"VIEWFINDER_WORKER_TOKEN": "two words"})


class ListeningTests(unittest.TestCase):
    def test_loopback_needs_no_token(self):
        for host in ["127.0.0.1", "::1", "localhost"]:
            check_listening(host, None)

    def test_beyond_loopback_a_token_is_needed(self):
        for host in ["0.0.0.0", "", "::"]:
            with self.assertRaisesRegex(AccessError, "without a token"):
                check_listening(host, None)
        check_listening("0.0.0.0", TOKEN)

    def test_the_worker_refuses_to_start_before_loading_a_model(self):
        environment = {k: v for k, v in os.environ.items() if k != "VIEWFINDER_WORKER_TOKEN"}
        run = subprocess.run([sys.executable, "-m", "viewfinder_worker", "--listen", "0.0.0.0:0"],
                             env=environment, capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 2)
        self.assertIn("refusing to listen on 0.0.0.0 without a token", run.stderr)


if __name__ == "__main__":
    unittest.main()
