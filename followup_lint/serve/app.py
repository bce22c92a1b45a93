"""The web application: routes, and the worker that runs lints off the event loop.

Scheduling (as the language server does it): one worker thread runs one lint at a time,
so spaCy is never used from two threads and a long draft never blocks the event loop.
Each writer's-view tab has a channel; a lint request that is still waiting when a newer
one arrives on its channel is answered `{"superseded": true}` without running, so a burst
of keystrokes costs one lint for the version in hand and one for the newest.
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import engine, payload, security


class Worker:
    """One thread for everything that touches the Linter; newer requests supersede older
    ones on the same channel."""

    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="followup-lint-serve")
        self._lock: asyncio.Lock | None = None
        self._generation: dict = {}
        self.runs = 0
        self.superseded = 0
        self.seconds = 0.0

    async def run(self, channel: str, fn, *args):
        """fn(*args) on the worker thread, or None when a newer request on `channel`
        arrived while this one waited."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        generation = self._generation[channel] = self._generation.get(channel, 0) + 1
        if len(self._generation) > 1000:  # many tabs over a long session: forget the idle ones
            self._generation = {channel: generation}
        async with self._lock:
            if self._generation.get(channel, generation) != generation:
                self.superseded += 1
                return None
            started = time.perf_counter()
            try:
                return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)
            finally:
                self.runs += 1
                self.seconds += time.perf_counter() - started

    def close(self):
        self.pool.shutdown(wait=False, cancel_futures=True)


class State:
    def __init__(self, source):
        self.source = source
        self.folder = Path(source.folder).resolve() if source.folder else None
        self.worker = Worker()


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json(request: Request) -> dict:
    try:
        data = await request.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def create_app(source, token: str, hosts: set[str], max_body: int = security.MAX_BODY):
    """The app for one engine.Source, behind the security Guard."""
    state = State(source)
    assets = security.load_static()

    def asset(name: str) -> Response:
        found = assets.get(name)
        if found is None:
            return _error(404, "not found")
        return Response(found[0], media_type=found[1])

    async def index(request: Request):
        return asset("index.html")

    async def static(request: Request):
        return asset(request.path_params["name"])

    async def on_worker(request: Request, fn, *args):
        """fn(linter, *args) on the worker thread (never superseded); a config that broke
        since start-up is a 422 with its one-line message."""

        def job():
            try:
                return fn(source.linter(), *args)
            except engine.StartError as exc:
                return _error(422, str(exc))

        result = await state.worker.run(f"once:{id(request)}", job)
        return result if isinstance(result, Response) else JSONResponse(result)

    async def info(request: Request):  # answered at once, even while a lint runs
        return JSONResponse(
            {
                "version": engine.version(),
                "folder": state.folder.name if state.folder else None,
                "today": source.today().isoformat(),
            }
        )

    async def lint(request: Request):
        data = await _json(request)
        text = data.get("text")
        if not isinstance(text, str):
            return _error(400, "send {text, context}")
        fmt = data.get("format") if data.get("format") in ("txt", "md") else "txt"
        context, errors = engine.clean_context(data.get("context"))
        channel = str(data.get("channel") or "default")[:100]

        def job():
            try:
                return payload.report(source.linter(), text, context, errors, fmt)
            except engine.StartError as exc:
                return {
                    "error": str(exc),
                    "field_errors": errors,
                    "findings": [],
                    "fix_all": [],
                    "notes": [],
                    "score": None,
                    "verdict": None,
                    "schedule": None,
                }

        result = await state.worker.run(channel, job)
        if result is None:
            return JSONResponse({"superseded": True, "seq": data.get("seq")})
        result["seq"] = data.get("seq")
        return JSONResponse(result)

    async def explain(request: Request):
        rule = request.query_params.get("rule", "")

        def job(linter):
            text = engine.explain(linter, rule)
            return _error(404, f"unknown rule {rule!r}") if text is None else {"rule": rule, "text": text}

        return await on_worker(request, job)

    def scan(linter) -> dict:
        folder = state.folder
        found, problems = engine.list_drafts(linter.config, folder)
        root = os.path.realpath(folder)
        drafts, counts = [], {}
        for path in found:
            if os.path.commonpath([root, os.path.realpath(path)]) != root:
                continue  # reached through a link to elsewhere: not openable, so not listed
            rel = path.relative_to(folder).as_posix()
            report = engine.lint_file(linter, path, rel)
            rules: dict = {}
            for f in report.findings:
                rules[f.rule] = rules.get(f.rule, 0) + 1
                counts[f.rule] = counts.get(f.rule, 0) + 1
            drafts.append(
                {
                    "path": rel,
                    "score": report.score,
                    "verdict": report.verdict,
                    "kind": report.kind,
                    "findings": len(report.findings),
                    "rules": rules,
                    "error": engine.error_text(report),
                }
            )
        titles = {r: engine.rule_info(linter, r)["title"] for r in counts}
        frequency = [
            {"rule": r, "count": n, "title": titles[r]}
            for r, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return {
            "folder": folder.name,
            "drafts": drafts,
            "frequency": frequency,
            "problems": [{"path": str(w), "error": why} for w, why in problems],
        }

    async def folder_list(request: Request):
        if state.folder is None:
            return _error(404, "no folder is served; start with `followup-lint serve FOLDER`")
        return await on_worker(request, scan)

    def resolve(rel) -> Path:
        if state.folder is None:
            raise security.Refused("no folder is served", 404)
        return security.folder_file(state.folder, rel)

    async def open_file(request: Request):
        rel = request.query_params.get("path")
        try:
            path = resolve(rel)
            return await on_worker(request, lambda linter: payload.open_draft(path, rel, linter.config.max_file_size))
        except security.Refused as exc:
            return _error(exc.status, str(exc))
        except engine.DraftProblem as exc:
            return _error(422, str(exc))

    async def save(request: Request):
        data = await _json(request)
        rel = data.get("path")
        subject, body, sha = data.get("subject", ""), data.get("body"), data.get("sha")
        if not all(isinstance(v, str) for v in (subject, body, sha)):
            return _error(400, "send {path, subject, body, context, sha}")
        try:
            path = resolve(rel)
            context = data.get("context") if isinstance(data.get("context"), dict) else {}
            return await on_worker(
                request,
                lambda linter: payload.save_draft(path, rel, subject, body, context, sha, linter.config.max_file_size),
            )
        except security.Refused as exc:
            return _error(exc.status, str(exc))
        except engine.DraftProblem as exc:
            return _error(409, str(exc))
        except OSError as exc:
            return _error(500, f"could not save: {exc.strerror or exc}")

    async def stats(request: Request):
        w = state.worker
        return JSONResponse({"lintRuns": w.runs, "superseded": w.superseded, "lintSeconds": round(w.seconds, 4)})

    routes = [
        Route("/", index),
        Route("/static/{name}", static),
        Route("/api/info", info),
        Route("/api/lint", lint, methods=["POST"]),
        Route("/api/explain", explain),
        Route("/api/folder", folder_list),
        Route("/api/file", open_file),
        Route("/api/save", save, methods=["POST"]),
        Route("/api/stats", stats),
    ]

    async def not_found(request: Request, exc):
        return _error(getattr(exc, "status_code", 404), "not found")

    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})
    app.state.serve = state
    return security.Guard(app, token, hosts, max_body)
