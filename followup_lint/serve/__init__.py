"""`followup-lint serve`: the linter in a browser, on the user's own machine.

command.py   the click command (imports only click, so `followup-lint --help` stays light)
server.py    loopback sockets, uvicorn, the URL with the per-run token
security.py  token, Host and Origin checks, body cap, CSP, which files may be served
app.py       the routes, and the worker thread that runs lints (newest request wins)
payload.py   reports as JSON in UTF-16 positions; draft files split for the page and saved back
engine.py    the only module that imports the rest of followup_lint
static/      the page: plain HTML, CSS and JavaScript, no build step, no external resources
"""
