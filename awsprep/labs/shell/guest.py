"""An instance's operating system as the sandbox sees it: files, packages and services.

Everything lives in `Instance.guest` (JSON-ready, so world snapshots and AMIs made with CreateImage
carry it). What the network sees goes through the simulator's own hooks: a running web server is an
entry in `Instance.served` (`Ec2Backend.serve_http`), extra pages are `guest["pages"]["80/path"]`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from awsprep.labs.shell import named
from awsprep.labs.shell.base import FsError
from awsprep.labs.shell.named import DEFAULT_CONF as DEFAULT_NAMED_CONF
from awsprep.sim.ec2.catalog import private_dns

if TYPE_CHECKING:
    from awsprep.sim.ec2.models import Ec2Backend
    from awsprep.sim.ec2.state import Instance

CLOUD_INIT_LOG = "/var/log/cloud-init-output.log"
# Amazon Linux 2023's httpd answers `/` with this page (and status 403, from welcome.conf) until
# something is written to /var/www/html/index.html.
TEST_PAGE = "<html><body><h1>It works!</h1></body></html>\n"
NGINX_PAGE = (
    "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n"
    "<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n"
)
BASE_DIRS = ("/", "/etc", "/home", "/root", "/tmp", "/usr", "/usr/bin", "/var", "/var/lib", "/var/log", "/var/tmp")


@dataclass(frozen=True)
class Package:
    """A package `yum install` knows; `service`/`port` when it brings a daemon."""

    name: str
    version: str
    size: str
    service: str | None = None
    port: int | None = None
    web_root: str | None = None
    description: str = ""
    dirs: tuple[str, ...] = ()
    files: dict[str, str] = field(default_factory=dict)
    protocol: str = "tcp"  # "udp": a datagram service (named answers UDP 53, and TCP 53 too)


PACKAGES = {
    p.name: p
    for p in (
        Package(
            "httpd",
            "2.4.62-1.amzn2023",
            "48 k",
            "httpd",
            80,
            "/var/www/html",
            "The Apache HTTP Server",
            ("/var/www", "/var/www/html", "/etc/httpd"),
        ),
        Package(
            "nginx",
            "1:1.26.2-1.amzn2023.0.1",
            "33 k",
            "nginx",
            80,
            "/usr/share/nginx/html",
            "The nginx HTTP and reverse proxy server",
            ("/usr/share/nginx", "/usr/share/nginx/html"),
            {"/usr/share/nginx/html/index.html": NGINX_PAGE},
        ),
        Package(
            "tomcat9", "1:9.0.97-1.amzn2023", "91 k", "tomcat9", 8080, None, "Apache Tomcat Web Application Container"
        ),
        Package(
            "mariadb105-server",
            "3:10.5.25-1.amzn2023.0.1",
            "10 M",
            "mariadb",
            3306,
            None,
            "MariaDB 10.5 database server",
        ),
        Package(
            "bind",
            "32:9.18.28-1.amzn2023.0.1",
            "511 k",
            "named",
            53,
            None,
            "Berkeley Internet Name Domain (DNS)",
            ("/var/named", "/var/named/data"),
            {"/etc/named.conf": DEFAULT_NAMED_CONF},
            protocol="udp",
        ),
        Package("bind-utils", "32:9.18.28-1.amzn2023.0.1", "210 k"),
        Package("git", "2.40.1-1.amzn2023.0.3", "53 k"),
        Package("java-17-amazon-corretto", "1:17.0.13+11-1.amzn2023.1", "188 k"),
        Package("php", "8.3.10-1.amzn2023.0.1", "9.7 k"),
        Package("stress", "1.0.7-1.amzn2023", "35 k"),
        Package("stress-ng", "0.17.08-1.amzn2023.0.1", "2.6 M"),
        Package("jq", "1.7.1-1.amzn2023.0.1", "195 k"),
    )
}
SERVICES = {p.service: p for p in PACKAGES.values() if p.service}


class Guest:
    """The OS of one instance, read and written through its `guest` dict."""

    def __init__(self, backend: Ec2Backend, instance_id: str) -> None:
        self.b = backend
        self.instance_id = instance_id
        g = self.data
        g.setdefault("files", {})
        g.setdefault("dirs", sorted({*BASE_DIRS, self.home(self.default_user)}))
        g.setdefault("packages", [])
        g.setdefault("services", {})

    @property
    def inst(self) -> Instance:
        """The instance (looked up each time: the world may have moved on)."""
        return self.b.instance(self.instance_id)

    @property
    def data(self) -> dict[str, Any]:
        """The instance's JSON-ready guest storage."""
        return self.inst.guest

    @property
    def default_user(self) -> str:
        """`ec2-user` on Amazon Linux, `ubuntu` on Ubuntu (from the AMI)."""
        image = self.b.state.images.get(self.inst.image_id)
        return image.default_user if image else "ec2-user"

    @property
    def distro(self) -> str:
        """`al2023`, `ubuntu` or `windows`, for the commands that differ."""
        image = self.b.state.images.get(self.inst.image_id)
        name = image.name.lower() if image else ""
        if self.inst.platform == "windows":
            return "windows"
        return "ubuntu" if "ubuntu" in name else "al2023"

    def hostname(self) -> str:
        """The resource name AL2023 uses as hostname (`ip-172-31-5-10.ec2.internal`)."""
        return private_dns(self.b.region, self.inst.private_ip)

    @staticmethod
    def home(user: str) -> str:
        """A user's home folder."""
        return "/root" if user == "root" else f"/home/{user}"

    # ----- files ------------------------------------------------------------------------------------------
    @staticmethod
    def norm(path: str, cwd: str = "/") -> str:
        """An absolute, normalised path (`..` above `/` stays at `/`)."""
        joined = posixpath.join(cwd, path)
        return posixpath.normpath(joined).replace("//", "/") or "/"

    def is_dir(self, path: str) -> bool:
        """Whether `path` is a folder."""
        return path in self.data["dirs"]

    def exists(self, path: str) -> bool:
        """Whether a file or folder exists."""
        return path in self.data["files"] or self.is_dir(path)

    def can_write(self, path: str, user: str) -> bool:
        """root writes anywhere; users in their home and /tmp."""
        if user == "root":
            return True
        home = self.home(user)
        return path.startswith((home + "/", "/tmp/"))

    def read(self, path: str, user: str = "root") -> str:
        """A file's text."""
        if path == "/dev/null":
            return ""
        entry = self.data["files"].get(path)
        if entry is None:
            raise FsError(path, "Is a directory" if self.is_dir(path) else "No such file or directory")
        if user != "root" and entry["owner"] != user and not int(entry["mode"]) & 0o004:
            raise FsError(path, "Permission denied")
        return str(entry["content"])

    def write(self, path: str, text: str, append: bool = False, user: str = "root", mode: int = 0o644) -> None:
        """Create, truncate or append a file."""
        if path == "/dev/null":
            return
        if self.is_dir(path):
            raise FsError(path, "Is a directory")
        if not self.is_dir(posixpath.dirname(path)):
            raise FsError(path, "No such file or directory")
        entry = self.data["files"].get(path)
        if not self.can_write(path, user) and not (entry and entry["owner"] == user):
            raise FsError(path, "Permission denied")
        if entry is None:
            entry = {"content": "", "mode": mode, "owner": user}
            self.data["files"][path] = entry
        entry["content"] = (str(entry["content"]) if append else "") + text
        self.sync_web()

    def mkdir(self, path: str, parents: bool = False, user: str = "root") -> None:
        """`mkdir [-p]`."""
        if self.exists(path):
            if parents and self.is_dir(path):
                return
            raise FsError(f"cannot create directory '{path}'", "File exists")
        parent = posixpath.dirname(path)
        if not self.is_dir(parent):
            if not parents:
                raise FsError(f"cannot create directory '{path}'", "No such file or directory")
            self.mkdir(parent, True, user)
        if not self.can_write(path, user):
            raise FsError(f"cannot create directory '{path}'", "Permission denied")
        self.data["dirs"] = sorted({*self.data["dirs"], path})

    def listdir(self, path: str) -> list[str]:
        """Names in a folder (folders end with `/`)."""
        if not self.is_dir(path):
            if path in self.data["files"]:
                return [posixpath.basename(path)]
            raise FsError(f"cannot access '{path}'", "No such file or directory")
        names = {posixpath.basename(p) for p in self.data["files"] if posixpath.dirname(p) == path}
        names |= {posixpath.basename(d) + "/" for d in self.data["dirs"] if d != path and posixpath.dirname(d) == path}
        return sorted(names)

    def chmod(self, path: str, mode: int, user: str = "root") -> None:
        """Change a file's mode (its owner or root)."""
        entry = self.data["files"].get(path)
        if entry is None:
            if self.is_dir(path):
                return
            raise FsError(f"cannot access '{path}'", "No such file or directory")
        if user not in ("root", entry["owner"]):
            raise FsError(f"changing permissions of '{path}'", "Operation not permitted")
        entry["mode"] = mode

    # ----- packages and services -----------------------------------------------------------------------
    def installed(self, name: str) -> bool:
        """Whether a package is installed."""
        return name in self.data["packages"]

    def install(self, pkg: Package) -> None:
        """Put a package's files and folders in place."""
        if pkg.name not in self.data["packages"]:
            self.data["packages"] = [*self.data["packages"], pkg.name]
        for d in pkg.dirs:
            self.mkdir(d, parents=True)
        for path, text in pkg.files.items():
            self.write(path, text)
        self.sync_web()

    def unit(self, name: str) -> Package | None:
        """The installed package providing service `name` (`httpd` or `httpd.service`)."""
        pkg = SERVICES.get(name.removesuffix(".service"))
        return pkg if pkg is not None and self.installed(pkg.name) else None

    def service_state(self, name: str) -> dict[str, Any]:
        """`{"enabled": bool, "since": float}` of a service."""
        state: dict[str, Any] = self.data["services"].setdefault(name, {"enabled": False, "since": 0.0})
        return state

    def _ports(self, pkg: Package) -> dict[str, Any]:
        """What listens on the network, for this package's protocol (the instance's TCP or UDP services)."""
        inst = self.inst
        return inst.datagram if pkg.protocol == "udp" else inst.served

    def is_active(self, pkg: Package) -> bool:
        """Whether the daemon is listening now (and owns its port: httpd and nginx share 80)."""
        inst = self.inst
        if inst.state != "running" or pkg.port is None or str(pkg.port) not in self._ports(pkg):
            return False
        return bool(self.data.get("port_owner", {}).get(str(pkg.port)) == pkg.service)

    def port_taken(self, pkg: Package) -> bool:
        """Another daemon already listens on this package's port."""
        return pkg.port is not None and str(pkg.port) in self._ports(pkg) and not self.is_active(pkg)

    def start(self, pkg: Package) -> None:
        """Start the daemon: its port starts answering (named reads its configuration now, as on a restart)."""
        assert pkg.service is not None and pkg.port is not None
        state = self.service_state(pkg.service)
        if not self.is_active(pkg):
            state["since"] = self.b.now
        self.data.setdefault("port_owner", {})[str(pkg.port)] = pkg.service
        if pkg.protocol == "udp":
            self.data["dns"] = named.config(self.data["files"])
            self.b.serve_udp(self.instance_id, pkg.port, pkg.service, enabled=bool(state["enabled"]), tcp=True)
        else:
            self.b.serve_http(self.instance_id, pkg.port, "", enabled=bool(state["enabled"]))
        self.sync_web()

    def stop(self, pkg: Package) -> None:
        """Stop the daemon."""
        if pkg.port is not None and pkg.protocol == "udp":
            self.b.stop_serving_udp(self.instance_id, pkg.port)
        elif pkg.port is not None:
            self.b.stop_serving(self.instance_id, pkg.port)

    def set_enabled(self, pkg: Package, enabled: bool) -> None:
        """`systemctl enable|disable`: whether it starts at boot."""
        assert pkg.service is not None and pkg.port is not None
        self.service_state(pkg.service)["enabled"] = enabled
        served = self._ports(pkg).get(str(pkg.port))
        if served is not None:
            served.enabled = enabled

    def on_boot(self) -> None:
        """Every boot: enabled services start, others are not running (the simulator kept the enabled ones)."""
        for name, state in list(self.data["services"].items()):
            pkg = self.unit(name)
            if pkg is not None and state.get("enabled"):
                self.start(pkg)
        self.sync_web()

    def sync_web(self) -> None:
        """Make what HTTP returns match the web root's files (after a write or a start)."""
        inst = self.inst
        pages: dict[str, str] = {}
        for pkg in PACKAGES.values():
            if pkg.web_root is None or pkg.port is None or str(pkg.port) not in inst.served:
                continue
            if not self.is_active(pkg):
                continue
            svc = inst.served[str(pkg.port)]
            index = self.data["files"].get(pkg.web_root + "/index.html")
            svc.body, svc.status = (str(index["content"]), 200) if index else (TEST_PAGE, 403)
            for path, entry in self.data["files"].items():
                if path.startswith(pkg.web_root + "/"):
                    pages[f"{pkg.port}{path[len(pkg.web_root) :]}"] = str(entry["content"])
        self.data["pages"] = pages
        self.data["php"] = self.installed("php")  # httpd runs *.php pages (sim/ec2/php.py) once PHP is installed
