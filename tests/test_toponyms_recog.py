"""Names the gazetteer lacks that the words around them show to be places (issue 4): Arabic-article
names, facilities and landmarks, lists. Sentences written for the tests."""
import pytest

from recognised import mentions as _mentions  # tests/recognised.py




@pytest.mark.parametrize("text, names", [
    # an Arabic article joined to a rare name is no common word of English ('Al' as in Al Gore)
    ("Government troops stormed Al-Qorvatiyah on Monday.", {"Al-Qorvatiyah"}),
    # a landmark noun after a name that is no word of the language: in capitals with it, else without
    ("Shells hit the Ibn al-Zelmiri hospital and the al-Qorvatin stadium.", {"Ibn al-Zelmiri", "al-Qorvatin"}),
    ("A car bomb went off near the al-Drabishi Park on Tuesday.", {"al-Drabishi Park"}),
    ("Rebels attacked army positions near the T-7 Airport.", {"T-7 Airport"}),
    ("Residents of the Zelmiravo plant outside the city protested.", {"Zelmiravo"}),
    ("The troops captured Qorvatinka Hill after a long battle.", {"Qorvatinka Hill"}),
    ("Jets bombed the Zelmirat transmission centre overnight.", {"Zelmirat"}),
    # words of the language after an Arabic name; an apostrophe inside it
    ("The army tried to capture the Al-Zel’ir Gas Fields.", {"Al-Zel’ir Gas Fields"}),
    # ... with a noun in lower case between
    ("Rebels shelled the al-Zelmiri maternity hospital with rockets.", {"al-Zelmiri"}),
    # lists: an aside in brackets, a name an Arabic article in lower case begins, no connector
    ("Shells hit the villages of Zubrahin (twice), al-Qorvatiya and Kaftorra.", {"Zubrahin", "al-Qorvatiya", "Kaftorra"}),
    ("Gunmen shelled the districts of Zubrahin, al-Qorvatiya, Kaftorra, a school and a mosque.",
     {"Zubrahin", "al-Qorvatiya", "Kaftorra"}),
    # a place verb coordinated with another verb shares its object
    ("The troops stormed and captured Zelmirat and Qorvatinka on Monday.", {"Zelmirat", "Qorvatinka"}),
    # a phrase whose object is a place
    ("Dozens of fighters were killed in the battle for Zelmirat.", {"Zelmirat"}),
    ("The troops are now within 11 km of Qorvatinka.", {"Qorvatinka"}),
    ("Militiamen launched another attack in the area of Abu Zelmira, he added.", {"Abu Zelmira"}),
    # a list word after settlement nouns
    ("The attacks hit three villages near Goma, including Zelmirat, Qorvatinka and Drabishan.",
     {"Zelmirat", "Qorvatinka", "Drabishan"}),
    # a settlement noun in apposition, then a word that makes it the name's
    ("Zelmirat, a village bordering the river, was attacked.", {"Zelmirat"}),
    # names in apposition after a settlement noun, between punctuation
    ("In another Harare township, Zelmirat, soldiers patrolled overnight.", {"Zelmirat"}),
    # a settlement or landmark noun and a naming word
    ("The attack happened in a place called Zelmirat, north of the town.", {"Zelmirat"}),
    ("Troops took a strategic peak, called Eagle Rock, on Sunday.", {"Eagle Rock"}),
    # a settlement noun after a name is no surname ('Qorvatin' and 'Suburb' as a person's names)
    ("The army stormed the Qorvatin Suburb of west Aleppo.", {"Qorvatin Suburb"}),
    ("Two men were gunned down near Zelmira Chowk on Monday.", {"Zelmira Chowk"}),
    # a landmark noun that the gazetteer knows as a place on its own ends the longer name
    ("Rebels shelled the Zelmirat Airbase with mortars.", {"Zelmirat Airbase"}),
    # a title that begins places' names, before a settlement or landmark noun
    ("Troops attacked the Sheikh Zelmiri area near the airport.", {"Sheikh Zelmiri"}),
    ("Clashes broke out inside the Sheikh Qorva’at District.", {"Sheikh Qorva’at District"}),
    ("A bomb went off near the Imam Zelmir shrine on Friday.", {"Imam Zelmir"}),
    # more than one space after the locative word
    ("The landmine went off at  Zelmirat in Rupandehi district.", {"Zelmirat"}),
])
def test_unknown_places_recognised(pipeline, text, names):
    assert names <= set(_mentions(pipeline, text))


@pytest.mark.parametrize("text, not_places", [
    # the names of armed groups begin with their own words
    ("Troops stormed the positions of Jaysh Al-Qorvatiyah near Aleppo.", {"Jaysh Al-Qorvatiyah", "Al-Qorvatiyah"}),
    ("Fighters from Aleppo and Harakat Nouriddeen Al-Zelmiri advanced.", {"Harakat Nouriddeen Al-Zelmiri"}),
    # names of common words before a landmark noun name firms and institutions as often
    ("Police closed the road at Heart Hospital in Austin.", {"Heart Hospital", "Heart"}),
    ("Children at Qorvell Elementary School were sent home.", {"Qorvell Elementary School", "Qorvell Elementary"}),
    ("Troops attacked the Jaysh Al-Qorvati base near Homs.", {"Jaysh Al-Qorvati", "Al-Qorvati"}),
    ("Fighters entered the town of Zubrahin, Reuters reported, citing Kowalczyk, a resident.", {"Reuters", "Kowalczyk"}),
    ("He was captured at an al-Qaida compound in eastern Afghanistan.", {"al-Qaida"}),
    ("He founded a company called Zelmirat Systems in Leeds.", {"Zelmirat Systems", "Zelmirat"}),
    ("Mr Zelmirat, a village elder who lives there, spoke.", {"Zelmirat"}),
    ("Sales of sauces, including Zelmirat and Kowalczyk, rose in Leeds.", {"Zelmirat", "Kowalczyk"}),
    ("Three villages were hit, including Zelmirat and Kowalczyk's farm.", {"Zelmirat", "Kowalczyk"}),
    ("In the Bihac region, Jesper Qorvatsen, a commander, said so.", {"Jesper Qorvatsen"}),
    ("In the Harare township, Kowalczyk said, soldiers patrolled.", {"Kowalczyk"}),
    ("Sheikh Hassan visited the area on Friday.", {"Sheikh Hassan", "Hassan"}),
    ("Officials met John Hill and Glen Crossing in Leeds.", {"John Hill", "Glen Crossing", "John", "Glen"}),
])
def test_no_unknown_place(pipeline, text, not_places):
    assert not not_places & set(_mentions(pipeline, text))
