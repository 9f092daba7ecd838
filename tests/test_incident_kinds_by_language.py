"""One news sentence of each kind of event in each language (written for the tests): the place,
the type and the count of the dead come out as an analyst reads them."""
from datetime import date

import pytest

ACCIDENTS = [
    ("en", "A bus collided with a lorry outside Nairobi on Monday, killing at least 9 passengers.", "Nairobi"),
    ("es", "Un autobús chocó con un camión a las afueras de Lima el lunes y murieron nueve pasajeros.", "Lima"),
    ("fr", "Un bus est entré en collision avec un camion près de Dakar lundi, tuant neuf passagers.", "Dakar"),
    ("it", "Un autobus si è scontrato con un camion vicino a Palermo lunedì, nove passeggeri sono morti.", "Palermo"),
    ("pt", "Um ônibus colidiu com um caminhão perto de Curitiba na segunda-feira, matando nove passageiros.", "Curitiba"),
    ("pl", "Autobus zderzył się w poniedziałek z ciężarówką pod Lublinem, zginęło dziewięciu pasażerów.", "Lublin"),
    ("ru", "Автобус столкнулся с грузовиком под Казанью в понедельник, погибли девять пассажиров.", "Kazan"),
    ("uk", "Автобус зіткнувся з вантажівкою під Полтавою в понеділок, загинули дев'ять пасажирів.", "Poltava"),
    ("id", "Sebuah bus bertabrakan dengan truk di dekat Semarang pada Senin, menewaskan sembilan penumpang.", "Semarang"),
    ("ar", "اصطدمت حافلة بشاحنة قرب الموصل يوم الاثنين ما أدى إلى مقتل تسعة ركاب.", "Mosul"),
]


@pytest.mark.parametrize("lang, text, place", ACCIDENTS)
def test_a_road_accident(pipeline, lang, text, place):
    report = pipeline.parse(text, lang=lang, published=date(2024, 5, 16))
    found = [(i.toponym.place.name, i.event_type, i.fatalities, i.event_date) for i in report.incidents]
    assert found == [(place, "Accidents", 9, date(2024, 5, 13))]


@pytest.mark.parametrize("lang, text, place, kind", [
    # the streets of a large town are the town's ('улицы', 'вулиці' are also street words)
    ("ru", "Тысячи протестующих вышли в субботу на улицы Новосибирска с требованием отставки губернатора.",
     "Novosibirsk", "Protests"),
    ("uk", "Тисячі протестувальників вийшли в суботу на вулиці Львова з вимогою відставки уряду.", "Lviv", "Protests"),
    ("ar", "تظاهر آلاف المحتجين في البصرة يوم السبت مطالبين بتحسين الخدمات.", "Basrah", "Protests"),
    ("uk", "Повінь учора затопила кілька сіл поблизу Ужгорода, загинули 12 людей.", "Uzhgorod", "Disasters"),
    # verbs of clashes and raids the event words missed
    ("fr", "Des soldats et des rebelles se sont affrontés près de Gao mardi.", "Gao", "Battles"),
    ("fr", "L'armée a affronté des jihadistes près de Ménaka mardi.", "Menaka", "Battles"),
    ("es", "Soldados y rebeldes se enfrentaron cerca de Cúcuta el martes.", "Cúcuta", "Battles"),
    ("it", "Uomini armati hanno assaltato una stazione di polizia a Kidal lunedì.", "Kidal", "Explosions/Remote violence"),
    ("de", "Bewaffnete überfielen am Montag eine Polizeiwache in Kidal.", "Kidal", "Explosions/Remote violence"),
    ("uk", "Озброєні люди напали на поліцейську дільницю в Одесі в понеділок.", "Odesa", "Violence against civilians"),
    # Italian says 'collided' and 'clashed' alike: two sides that collide fight; two cars crash
    ("it", "Soldati e ribelli si sono scontrati vicino a Gao martedì.", "Gao", "Battles"),
    ("it", "Due auto si sono scontrate sulla statale vicino a Firenze lunedì.", "Florence", "Accidents"),
])
def test_the_kind_of_a_sentence_event(pipeline, lang, text, place, kind):
    report = pipeline.parse(text, lang=lang, published=date(2024, 5, 16))
    assert [(i.toponym.place.name, i.event_type) for i in report.incidents] == [(place, kind)]


@pytest.mark.parametrize("lang, text, day, precision", [
    # 'last week' / 'last month' phrases that dateparser does not read: a week or a month back
    ("it", "La settimana scorsa un terremoto ha colpito la provincia di Kahramanmaraş.", date(2024, 5, 9), 2),
    ("pt", "Na semana passada, um deslizamento de terra atingiu o município de Petrópolis.", date(2024, 5, 9), 2),
    ("id", "Pekan lalu, gempa bumi mengguncang Kabupaten Cianjur, Jawa Barat.", date(2024, 5, 9), 2),
    ("it", "Il mese scorso un terremoto ha colpito la provincia di Kahramanmaraş.", date(2024, 4, 16), 3),
    # ... and this week stays this week
    ("it", "Questa settimana un terremoto ha colpito la provincia di Kahramanmaraş.", date(2024, 5, 16), 2),
])
def test_last_week_and_last_month(pipeline, lang, text, day, precision):
    report = pipeline.parse(text, lang=lang, published=date(2024, 5, 16))
    assert [(i.event_date, i.time_precision) for i in report.incidents] == [(day, precision)]


def test_the_month_before_a_long_month_ends_on_its_last_day():
    from geoincidents.incidents import _month_before

    assert _month_before(date(2024, 3, 31)) == date(2024, 2, 29)
    assert _month_before(date(2024, 1, 15)) == date(2023, 12, 15)


@pytest.mark.parametrize("text, place, kind", [
    # a Turkish locative word after the name, apart from it ('yakınlarında' near, 'ilçesinde' in the district of)
    ("Konya yakınlarında bir otobüs kamyonla çarpıştı, dokuz yolcu öldü.", "Konya", "Accidents"),
    ("Hatay'ın Antakya ilçesinde meydana gelen depremde 12 kişi öldü.", "Antakya", "Disasters"),
])
def test_turkish_locative_words_after_the_name(pipeline, text, place, kind):
    report = pipeline.parse(text, lang="tr", published=date(2024, 5, 16))
    assert [(i.toponym.place.name, i.event_type) for i in report.incidents] == [(place, kind)]


@pytest.mark.parametrize("lang, text, actor", [
    # nationalities and sides written in lower case belong to the actor; articles do not
    ("fr", "L'armée malienne a attaqué le village de Diafarabé lundi.", "armée malienne"),
    ("fr", "Les forces gouvernementales ont bombardé Marib mardi.", "forces gouvernementales"),
    ("es", "Las fuerzas rusas bombardearon Járkov el martes.", "fuerzas rusas"),
    ("it", "L'esercito israeliano ha bombardato Gaza lunedì.", "esercito israeliano"),
    ("pt", "As forças russas bombardearam Kharkiv na terça-feira.", "forças russas"),
    ("de", "Am Montag beschoss die israelische Armee Gaza.", "israelische Armee"),
    ("ru", "Во вторник российские войска обстреляли Харьков.", "российские войска"),
    ("uk", "У вівторок російські війська обстріляли Харків.", "російські війська"),
    ("pl", "We wtorek rosyjskie wojska ostrzelały Charków.", "rosyjskie wojska"),
    ("ar", "قصفت القوات الروسية مدينة خاركيف يوم الثلاثاء.", "القوات الروسية"),
    ("en", "On Tuesday government forces shelled Marib.", "government forces"),
    ("en", "On Monday pro-government militias attacked Marib.", "pro-government militias"),
    ("fr", "Les forces pro-russes ont bombardé Kharkiv lundi.", "forces pro-russes"),
    # a Turkish name with a case ending is the forces' object, no word of their name
    ("tr", "Rus güçleri Harkov'a saldırdı.", "Rus güçleri"),
])
def test_actors_keep_their_nationality(pipeline, lang, text, actor):
    report = pipeline.parse(text, lang=lang, published=date(2024, 5, 16))
    assert [i.actor1 for i in report.incidents] == [actor]


@pytest.mark.parametrize("lang, text, place, dead", [
    # 'une' after 'dans' is an article, not one dead: the count before the verb is read
    ("fr", "Au moins 12 civils ont été tués dans une frappe de drone sur un marché à Khartoum samedi.", "Khartoum", 12),
    # Polish locatives whose stem changes: 'w nalocie' (nalot), 'w ostrzale' (ostrzał)
    ("pl", "Co najmniej 12 osób zginęło w nalocie na targ w Chartumie w sobotę.", "Khartoum", 12),
    ("pl", "Dwie osoby zginęły w ostrzale w Charkowie.", "Kharkiv", 2),
])
def test_the_dead_of_an_air_strike_or_shelling(pipeline, lang, text, place, dead):
    report = pipeline.parse(text, lang=lang, published=date(2024, 5, 18))
    assert [(i.toponym.place.name, i.fatalities) for i in report.incidents] == [(place, dead)]


@pytest.mark.parametrize("text, kind", [
    # German verbs whose particle stands apart, last in the clause (lexicon [separable])
    ("Am Montag griffen Truppen Stellungen bei Deir ez-Zor an.", "Explosions/Remote violence"),
    ("Die Polizei nahm in Köln drei Verdächtige fest.", "Strategic developments"),
    ("Ein Zug stieß bei Augsburg mit einem Lastwagen zusammen.", "Accidents"),
])
def test_a_german_verb_whose_particle_stands_apart(pipeline, text, kind):
    report = pipeline.parse(text, lang="de", published=date(2024, 5, 18))
    assert [i.event_type for i in report.incidents] == [kind]


@pytest.mark.parametrize("text", [
    "Der Minister griff die Idee in Berlin auf.",  # 'griff … auf' (took up): another particle
    "Die Regierung kündigte in Berlin neue Hilfen an.",  # 'an' after another verb
])
def test_a_german_verb_with_another_particle_is_no_event(pipeline, text):
    assert pipeline.parse(text, lang="de").incidents == ()


@pytest.mark.parametrize("lang, text, actor, source, denial", [
    # the source ends where the event's words or a second group begin; the object pronoun of a
    # denial is not the one who denies; Turkish 'göre' follows its source
    ("de", "Nach Angaben der ukrainischen Armee beschossen russische Truppen am Dienstag Charkiw. Moskau dementierte.",
     "russische Truppen", "der ukrainischen Armee", "Moskau"),
    ("pl", "Według ukraińskiej armii rosyjskie wojska ostrzelały Charków we wtorek. Moskwa zaprzeczyła.",
     "rosyjskie wojska", "ukraińskiej armii", "Moskwa"),
    ("es", "Según el ejército ucraniano, las fuerzas rusas bombardearon Járkov el martes. Moscú lo negó.",
     "fuerzas rusas", "el ejército ucraniano", "Moscú"),
    ("tr", "Ukrayna ordusuna göre Rus güçleri Salı günü Harkov'a saldırdı. Moskova bunu yalanladı.",
     "Rus güçleri", "Ukrayna ordusuna", "Moskova"),
    ("ar", "وفقا للجيش الأوكراني، قصفت القوات الروسية خاركيف يوم الثلاثاء. ونفت موسكو ذلك.",
     "القوات الروسية", "للجيش الأوكراني", "موسكو"),
])
def test_who_did_it_who_says_so_and_who_denies_it(pipeline, lang, text, actor, source, denial):
    report = pipeline.parse(text, lang=lang, published=date(2024, 5, 16))
    assert [(i.actor1, i.claimed_by, i.disputed_by) for i in report.incidents] == [(actor, source, denial)]
