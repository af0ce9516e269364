import polib

from core.typesetting import typeset_catalogue


def test_only_strings_that_need_typesetting_get_a_french_msgstr():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Arrestation :", msgstr=""))
    po.append(polib.POEntry(msgid="Aller au contenu", msgstr=""))
    po.append(
        polib.POEntry(
            msgid="%(n)d victoire !", msgid_plural="%(n)d victoires !", msgstr_plural={0: "", 1: ""}
        )
    )
    assert typeset_catalogue(po) == 3
    assert po[0].msgstr == "Arrestation\u00a0:"
    assert po[1].msgstr == ""
    assert po[2].msgstr_plural == {0: "%(n)d victoire\u00a0!", 1: "%(n)d victoires\u00a0!"}
    assert typeset_catalogue(po) == 0
