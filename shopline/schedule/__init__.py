"""The per-user OS job that runs `shopline run-due` every 5 minutes: a systemd user timer on Linux, a
LaunchAgent on macOS, a Task Scheduler task on Windows. The files carry no secret: the job reads the
channel token from the keyring (or SHOPLINE_CHANNEL_TOKEN) when it runs."""
