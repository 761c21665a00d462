"""The supervision office's dashboard (督查室看板): a Streamlit app on the published warehouse, read-only.

Why a package of its own: the office wants to look, not write SQL, and the dashboard must never hold up a load
— so it reads only the published copy (``POLICY_WH_PUBLISHED``), never the working file, and imports nothing of
the Dagster orchestration. ``policy-wh dashboard`` starts it (``streamlit run dashboards/app.py``).

- ``connection``  the read-only connection, reopened when a new publication replaces the file
- ``data``        runs a query on the current publication and caches the result until the next one
- ``queries``     every SQL the pages run, as small typed functions (no Streamlit)
- ``formatting``  Chinese words for codes, targets in words, numbers
- ``charts``      the Altair (vega-lite, bundled with Streamlit) charts
- ``views/``      one script per page; they only format what the queries return
"""
