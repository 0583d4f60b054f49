"""Runs a command against a throwaway PostgreSQL cluster.

Usage: `python -m tests.throwaway_postgres CMD...`.

Finds PostgreSQL's server binaries (PATH, then /usr/lib/postgresql/*/bin), creates a cluster
in a temporary folder, starts it on a free loopback port, runs CMD with DATABASE_URL pointing
at it, then stops the cluster and removes the folder. As root (CI), the server runs as the
`postgres` system user, because PostgreSQL refuses to run as root.

Exit code 97 with a message when no server binaries are installed; with REQUIRE_POSTGRES=1
that is a failure, otherwise the Makefile reports the skip.
"""

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile

NOT_INSTALLED = 97


def find_bindir():
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(os.path.realpath(initdb))
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    candidates += sorted(glob.glob("/usr/local/opt/postgresql*/bin/initdb"), reverse=True)
    return os.path.dirname(candidates[0]) if candidates else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def cluster(bindir=None):
    """A PostgreSQL cluster in a temporary folder for the block: yields (DATABASE_URL, stop),
    where stop() shuts the server down early (as a test that shows a lost database does)."""
    bindir = bindir or find_bindir()
    run_as = []
    tmp = tempfile.mkdtemp(prefix="aktionsplan-pg-")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres" if _has_user("postgres") else "nobody")
        os.chown(tmp, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", user.pw_name, "--"]
    datadir = os.path.join(tmp, "data")
    port = free_port()
    pg_ctl = [*run_as, os.path.join(bindir, "pg_ctl"), "-D", datadir]

    def stop():
        subprocess.run(
            [*pg_ctl, "-m", "immediate", "-w", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    try:
        subprocess.run(
            [
                *run_as,
                os.path.join(bindir, "initdb"),
                "-D",
                datadir,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # Durability is pointless for a cluster that lives for one test run.
        options = (
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [*pg_ctl, "-o", options, "-l", os.path.join(tmp, "log"), "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                os.path.join(bindir, "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "aktionsplan",
            ],
            check=True,
        )
        yield f"postgres://postgres@127.0.0.1:{port}/aktionsplan", stop
    finally:
        stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    bindir = find_bindir()
    if bindir is None:
        print("PostgreSQL server binaries (initdb, pg_ctl) not found.", file=sys.stderr)
        return NOT_INSTALLED
    with cluster(bindir) as (url, _stop):
        print(f"Throwaway PostgreSQL cluster on {url.split('@')[1]} ({bindir})", flush=True)
        return subprocess.run(argv, env=dict(os.environ, DATABASE_URL=url)).returncode


def _has_user(name):
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
