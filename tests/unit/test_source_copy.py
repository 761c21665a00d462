"""The project's copy of the source text is the published one, byte for byte."""
import hashlib

from tests.conftest import SOURCE_PATH

SOURCE_SHA256 = "50c0f3caa75f0324bd2110f265940ce50686879dd571ec60ad74d356f9a9e704"


def test_source_copy_is_byte_identical_to_the_published_text():
    data = SOURCE_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SOURCE_SHA256
    assert len(data) == 941_933


def test_source_reads_as_9411_lines_plus_a_trailing_space(source):
    # 9,411 newline-terminated lines (wc -l); the file ends with one space and no newline.
    assert len(source) == 9412 and source.line(9412) == " "
    assert source.line(6) == "廊政〔2015〕54号"
    assert source.line(9411) == "2015年12月30日"
