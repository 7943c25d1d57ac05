"""The web app for analysts and reviewers (FastAPI). Its trend queries already live in
``flows.dashboard_queries``; the app itself is built under its own issue."""
