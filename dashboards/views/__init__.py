"""The dashboard's pages, one script each, run by st.navigation (dashboards/app.py).

Why not ``pages/``: Streamlit treats a ``pages/`` folder next to the main script as its older multipage
mode and then serves /overview as that file alone — without app.py, its navigation and its checks.
"""
