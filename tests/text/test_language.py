"""Which language a text is in: the script first, then the function words; no guess on too little."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storyline.text.language import language_of

# Sentences written for this test, a short news paragraph in each language.
_TEXTS = {
    "en": "The minister said on Monday that the government would not raise taxes this year, and that the "
          "budget would be presented to parliament by the end of the month.",
    "de": "Der Minister sagte am Montag, dass die Regierung in diesem Jahr die Steuern nicht erhöhen werde und "
          "dass der Haushalt bis zum Ende des Monats dem Parlament vorgelegt wird.",
    "fr": "Le ministre a déclaré lundi que le gouvernement n'augmenterait pas les impôts cette année et que le "
          "budget sera présenté au parlement avant la fin du mois.",
    "es": "El ministro dijo el lunes que el gobierno no subirá los impuestos este año y que el presupuesto se "
          "presentará al parlamento antes de que termine el mes, según las fuentes del ministerio.",
    "it": "Il ministro ha detto lunedì che il governo non aumenterà le tasse quest'anno e che il bilancio sarà "
          "presentato al parlamento entro la fine del mese, secondo le fonti della maggioranza.",
    "pl": "Minister powiedział w poniedziałek, że rząd nie podniesie podatków w tym roku, a budżet zostanie "
          "przedstawiony w parlamencie do końca miesiąca, jak podał jego rzecznik oraz że to jest pewne.",
    "tr": "Bakan pazartesi günü yaptığı açıklamada hükümetin bu yıl vergileri artırmayacağını ve bütçenin ay "
          "sonuna kadar meclise sunulacağını söyledi, ama daha çok bilgi vermedi ve bu konuda ne diyeceği belli değil.",
    "ru": "Министр заявил в понедельник, что правительство не будет повышать налоги в этом году.",
    "zh": "部长周一表示，政府今年不会提高税收，预算将在月底前提交议会。",
    "ar": "قال الوزير يوم الاثنين إن الحكومة لن ترفع الضرائب هذا العام.",
}


@pytest.mark.parametrize("language", sorted(_TEXTS))
def test_a_paragraph_is_read_as_its_language(language):
    assert language_of(_TEXTS[language]) == language


@pytest.mark.parametrize("text", [
    "",
    "2024-10-28 12:00",
    "Titanfall Review Roundup",  # a headline: too few function words to tell
    "Mt. Gox files for bankruptcy",
])
def test_too_little_is_not_guessed(text):
    assert language_of(text) is None


def test_only_the_start_of_a_long_text_is_read():
    assert language_of((_TEXTS["de"] + " ") * 12 + _TEXTS["en"] * 200) == "de"


@given(st.text(max_size=400))
def test_any_text_gets_a_known_code_or_none(text):
    assert language_of(text) in {None, "en", "de", "fr", "es", "it", "pt", "nl", "ru", "pl", "tr", "ar", "zh",
                                 "ko", "el", "he", "hi", "th"}
