# Test certificates, made fresh for each test session with the openssl command line (none is
# committed): EC P-256 and self-signed, the server's own certificate serving as the CA, as
# MicroPython's ec_cert.der does for its TLS tests.
import functools
import pathlib
import ssl
import subprocess
import tempfile

NAME = "micropython.local"


class Cert:
    def __init__(self, directory: pathlib.Path, stem: str, name: str):
        self.key = directory / f"{stem}_key.pem"
        self.pem = directory / f"{stem}_cert.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", self.key, "-out", self.pem, "-days", "30", "-subj", f"/CN={name}",
             "-addext", f"subjectAltName=DNS:{name}"],
            check=True, capture_output=True)
        self.der = ssl.PEM_cert_to_DER_cert(self.pem.read_text())

    def server_context(self, require_client_cert=False, max_tls12=False) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.pem, self.key)
        if require_client_cert:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(cafile=self.pem)
        if max_tls12:
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        return ctx


@functools.cache
def certs() -> tuple[Cert, Cert]:
    """The run's certificate for micropython.local, and an impostor's for the same name."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="asyncio-tls-"))
    return Cert(directory, "ec", NAME), Cert(directory, "impostor", NAME)


def ca_command(cert: Cert) -> bytes:
    """The control command that makes the device trust `cert`."""
    return f"ca {cert.der.hex()}\n".encode()
