"""The Welsh catalogue: what Django reads (the compiled .mo) is what translators wrote (the
.po), and its coverage is reported."""

from __future__ import annotations

from django.core.management import call_command

from policyhub import catalogue


def test_the_compiled_welsh_catalogue_matches_its_source():
    """Django reads only the committed .mo: a .po edited without recompiling (make messages)
    would leave the site showing old or no Welsh."""
    source, compiled = catalogue.catalogue_paths("cy")
    assert catalogue.read_mo(compiled) == catalogue.compiled(catalogue.read_po(source))


def test_coverage_is_reported_as_translated_over_total(capsys):
    entries = catalogue.read_po(catalogue.catalogue_paths("cy")[0])
    done = sum(entry.translated for entry in entries)
    call_command("translation_coverage")
    assert f"Cymraeg (cy): {done} / {len(entries)} messages" in capsys.readouterr().out


def test_a_fuzzy_or_empty_translation_is_not_counted(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n\n'
        'msgid "Back"\nmsgstr "Yn ôl"\n\n'
        '#, fuzzy\nmsgid "Cancel"\nmsgstr "Canslo"\n\n'
        'msgid "Menu"\nmsgstr ""\n\n'
        'msgctxt "time of day"\nmsgid "am"\nmsgstr "yb"\n\n'
        'msgid "%(count)d day"\nmsgid_plural "%(count)d days"\n'
        'msgstr[0] "%(count)d diwrnod"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    entries = catalogue.read_po(po)
    assert [e.msgid for e in entries if e.translated] == ["Back", "am"]
    assert catalogue.compiled(entries) == {"Back": "Yn ôl", "time of day\x04am": "yb"}
