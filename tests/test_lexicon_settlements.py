"""Names the gazetteer lacks that the settlement words of each language's lexicon show to be
places ([locative] settlement_before, settlement_after, name_heads, name_tails), and words
beside those cues that are no places. The sentences are written for these tests; the village
names are invented or tiny."""
import pytest

from recognised import mentions as _mentions  # tests/recognised.py


@pytest.mark.parametrize("lang, text, names", [
    # Indonesian: a noun before the name, a capitalised head with it
    ("id", "Kontak senjata terjadi di Distrik Kiwirok, Kabupaten Pegunungan Bintang.", {"Kiwirok"}),
    ("id", "Tawuran pecah di Jalan Kramat Sentiong pada Sabtu malam.", {"Jalan Kramat Sentiong"}),
    ("id", "Banjir merendam kampung Cibogo dan Cisaruk di Tangerang.", {"Cibogo", "Cisaruk"}),
    # Russian: case forms of the noun, a list, a division's adjective, a capitalised tail
    ("ru", "Беспилотник атаковал село Малая Кривушка в Белгородской области.", {"Малая Кривушка"}),
    ("ru", "В селе Теткино Курской области повреждены дома.", {"Теткино"}),
    ("ru", "Взрывы прогремели в сёлах Новая Таволга и Красный Хутор.", {"Новая Таволга", "Красный Хутор"}),
    ("ru", "Обстрелу подвергся Верхнепенский район, сообщил губернатор.", {"Верхнепенский"}),
    ("ru", "Удар пришёлся по Каховской ГЭС накануне.", {"Каховской ГЭС"}),
    # Ukrainian
    ("uk", "Ворог атакував селища Нова Сосонка та Верхні Луки.", {"Нова Сосонка", "Верхні Луки"}),
    ("uk", "У Краснопільській громаді пошкоджено лінію електропередач.", {"Краснопільській"}),
    # a street word's name is the street's, with the word ('вулиця', data/place_cues.toml street_heads)
    ("uk", "Вибух пролунав на вулиці Вишневій у селі Гаврилівка Друга Сумського району.", {"вулиці Вишневій", "Гаврилівка Друга"}),
    # Arabic: a clitic on the noun, a head that belongs to the name
    ("ar", "قصفت الطائرات قرية كفرزيتا في ريف حماة.", {"كفرزيتا"}),
    ("ar", "نزح السكان من بلدة معرشمشة إلى مخيم أطمة.", {"معرشمشة", "أطمة"}),
    ("ar", "دارت معارك في وادي الضيف جنوب إدلب.", {"وادي الضيف"}),
    # Turkish: a noun after the name in its case forms, a list, a capitalised tail
    ("tr", "Sel Kızılcaören köyünde etkili oldu.", {"Kızılcaören"}),
    ("tr", "Karaağaç ve Kızılcaören köylerinde sel etkili oldu.", {"Kızılcaören"}),
    ("tr", "Patlama Kemeraltı Caddesi üzerinde meydana geldi.", {"Kemeraltı Caddesi"}),
    ("tr", "Hakkari'nin Yüksekova ilçesine bağlı Ortaklar köyünde çatışma çıktı.", {"Hakkari", "Yüksekova", "Ortaklar"}),
    # Spanish
    ("es", "Hombres armados irrumpieron en la vereda El Tamborcito del municipio de Tibú.", {"El Tamborcito"}),
    ("es", "La erupción afectó a las aldeas de Panimaché y Morelia.", {"Panimaché", "Morelia"}),
    ("es", "Un tiroteo en el barrio San Judas dejó dos muertos.", {"San Judas"}),
    # Portuguese
    ("pt", "Um incêndio atingiu a aldeia Jaguapiru em Dourados.", {"Jaguapiru"}),
    ("pt", "A polícia fez uma operação no bairro Marambaiazinho e na Rua Capitão Sabóia.", {"Marambaiazinho", "Rua Capitão Sabóia"}),
    ("pt", "Os moradores do povoado de Riachãozinho bloquearam a estrada.", {"Riachãozinho"}),
    # French: an elided article, a capitalised head, a noun without 'de'
    ("fr", "Des hommes armés ont attaqué la commune d'Ouindigui et le village de Bourzanga.", {"Ouindigui", "Bourzanga"}),
    ("fr", "Les combats se poursuivent autour du Mont Kahuzi et au quartier Ndosho.", {"Mont Kahuzi", "Ndosho"}),
    ("fr", "Un incendie a touché le douar Tiniskt près de Marrakech.", {"Tiniskt"}),
    # Italian
    ("it", "Una frana ha colpito la frazione Cantoniera di Gromo.", {"Cantoniera"}),
    ("it", "I soccorsi sono arrivati sul Monte Amiata e in Val Seriana.", {"Monte Amiata", "Val Seriana"}),
    ("it", "L'alluvione ha isolato i villaggi di Rovetta e Fondrabuona.", {"Rovetta", "Fondrabuona"}),
    # Polish: case forms of the noun
    ("pl", "Do wypadku doszło w miejscowości Wola Uhruska.", {"Wola Uhruska"}),
    ("pl", "Rosjanie ostrzelali miejscowości Nowosiłki i Bohorodyczne.", {"Nowosiłki", "Bohorodyczne"}),
    ("pl", "Mieszkańcy Zawadówki protestowali przed urzędem.", {"Zawadówki"}),
    # English: an ayn before the name stays out of it; a list after a name with an Arabic article,
    # a name head ('Umm'), a word an apostrophe splits, read back through an Oxford comma
    ("en", "Jets struck the village of ‘Azqaba near Hama on Sunday.", {"Azqaba", "Hama"}),
    ("en", "Rebels shelled positions at Al-Houla, Umm Zarnouf, Harbqassa, and Al-Zirqat.",
     {"Al-Houla", "Umm Zarnouf", "Harbqassa", "Al-Zirqat"}),
    ("en", "The towns shelled were Ma’arbesh, Sawran, and Taybat Al-Imam.", {"Ma’arbesh", "Sawran", "Taybat Al-Imam"}),
    # a title in lower case that is an ordinary word there
    ("en", "Troops entered six major West Bank towns on Monday.", {"West Bank"}),
    # German: the noun before the name only
    ("de", "Im Dorf Kleinwaldhausen brannte eine Scheune.", {"Kleinwaldhausen"}),
    ("de", "Die Ortschaft Nowoseliwka wurde von Raketen getroffen.", {"Nowoseliwka"}),
    ("de", "Gefechte gab es bei Dschabal Sawija im Nordwesten.", {"Dschabal Sawija"}),
])
def test_settlement_words_show_names_to_be_places(pipeline, lang, text, names):
    assert names <= set(_mentions(pipeline, text, lang))


@pytest.mark.parametrize("lang, text, not_places", [
    ("id", "Wali kota Bobby Nasution meninjau lokasi banjir.", {"Bobby Nasution", "Bobby", "Nasution"}),
    ("ru", "Губернатор Вячеслав Гладков посетил город.", {"Вячеслав Гладков", "Гладков"}),
    ("ru", "Новый район города строится быстро.", {"Новый"}),
    ("uk", "Президент Володимир Зеленський відвідав місто.", {"Володимир Зеленський", "Зеленський"}),
    ("ar", "زار الوزير قرية صغيرة في الجنوب.", {"صغيرة"}),
    ("ar", "قال الرئيس إن باب الحوار مفتوح.", {"باب الحوار", "الحوار"}),
    # a title before a name, a genitive suffix: 'köyünde' is 'in his village' there
    ("tr", "Muhtar Kaya köyünde incelemelerde bulundu.", {"Muhtar Kaya", "Kaya"}),
    ("tr", "Mehmet'in köyünde düğün vardı.", {"Mehmet", "Mehmet'in"}),
    ("es", "El presidente Gustavo Petro visitó el pueblo.", {"Gustavo Petro", "Petro"}),
    ("es", "En el barrio Pobre no hay agua.", {"Pobre"}),
    ("pt", "O presidente Lula visitou o bairro.", {"Lula"}),
    ("fr", "Le camp de Marine Le Pen a réagi.", {"Marine Le Pen", "Marine"}),
    ("fr", "Le quartier Général a été visé.", {"Général"}),
    ("it", "Il sindaco Mario Rossi ha visitato il paese.", {"Mario Rossi", "Rossi"}),
    ("pl", "Premier Donald Tusk odwiedził miasto.", {"Donald Tusk", "Tusk"}),
    ("de", "Im Dorf Feuerwehr und Polizei im Einsatz.", {"Feuerwehr", "Polizei"}),
    ("de", "Die Stadt Angst und Schrecken.", {"Angst"}),
    ("en", "The raid was led by Major Sawran Haddad, officials said.", {"Sawran", "Sawran Haddad"}),
])
def test_words_beside_settlement_words_that_name_no_place(pipeline, lang, text, not_places):
    assert not not_places & set(_mentions(pipeline, text, lang))
