"""督查室看板 — the supervision office's dashboard: ``streamlit run dashboards/app.py`` (or ``policy-wh dashboard``).

Why this entry point: one place lists the pages (st.navigation, Chinese titles, ASCII url paths such as
/overview and /departments) and checks, before any page runs, that a published warehouse exists — the
dashboard reads only that file (POLICY_WH_PUBLISHED), read-only, and picks up every new publication.
"""
from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:        # `streamlit run dashboards/app.py` from a checkout that is not installed
    sys.path.insert(0, str(HERE.parent))

from dashboards import data                          # noqa: E402
from dashboards.connection import PublishedFileMissing  # noqa: E402

# (script, Chinese title, url path); the first is the home page. No icons: a Material icon that Streamlit's
# bundled font lacks is fetched from fonts.gstatic.com, which the intranet cannot reach.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("views/overview.py", "总览", "overview"),
    ("views/departments.py", "部门", "departments"),
    ("views/documents.py", "文件", "documents"),
    ("views/targets.py", "目标", "targets"),
    ("views/tasks.py", "任务", "tasks"),
    ("views/quality.py", "数据质量", "quality"),
    ("views/air_quality.py", "空气质量", "air-quality"),
)


def main() -> None:
    st.set_page_config(page_title="督查室看板 · 廊坊市2015年政策落实", layout="wide")
    pages = [st.Page(HERE / script, title=title, url_path=url_path) for script, title, url_path in PAGES]
    # Streamlit gives the default page the empty path, so / is a hidden page that opens /overview: every page
    # keeps its own address
    home = st.Page(lambda: st.switch_page(pages[0]), title=PAGES[0][1], url_path="home", default=True,
                   visibility="hidden")
    page = st.navigation([home, *pages])
    st.sidebar.markdown("**督查室看板**  \n廊坊市 2015 年政策文件落实情况")
    try:
        snapshot = data.pin()          # this run reads this publication from start to end
    except PublishedFileMissing as missing:
        st.title("督查室看板")
        st.error(f"还没有发布的仓库文件：{missing.path}。请先运行 `make demo` 或 `policy-wh publish`。"
                 f" No published warehouse yet: run `make demo` or `policy-wh publish`.")
        st.stop()
    st.sidebar.caption(f"只读 read-only: {snapshot.path.name}")
    page.run()


main()
