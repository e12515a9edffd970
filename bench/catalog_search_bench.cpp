// Catalog search at the size of a city press office's archive: N synthetic photos with German
// captions, names, credits, tags and licences in the real catalog schema, searched through
// Catalog::search (the Xapian index) and, for comparison, through a bare SQLite FTS5 table
// ranked by bm25. bench/README.md ("Search") has the figures and bench/run-catalog-search runs it.
//
//   pressroom_catalog_search_bench build DIR N          DIR/catalog.sqlite, DIR/fts5.sqlite
//   pressroom_catalog_search_bench query DIR [QUERIES]  latencies of QUERIES queries (1000)
//   pressroom_catalog_search_bench list DIR [QUERIES]   the queries, one JSON object a line
//   pressroom_catalog_search_bench pages DIR [QUERIES]  each query's first page of photo ids, a
//                                                       JSON array a line (to compare rankings)
//
// Everything is drawn from fixed seeds: the same N gives the same catalog, the same catalog the
// same queries.
#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "catalog/catalog.hpp"
#include "core/error.hpp"
#include "core/rights.hpp"
#include "core/text.hpp"

namespace {

namespace catalog = pressroom::catalog;
using pressroom::Errc;
using pressroom::Error;
using pressroom::fail;
using pressroom::Result;
using Clock = std::chrono::steady_clock;

// ---- Deterministic randomness. Own generators rather than <random>'s distributions, whose
// results the standard leaves to the library: the catalog must be the same everywhere.

constexpr std::uint64_t k_seed_photos = 0x70726573'73726f6f;
constexpr std::uint64_t k_seed_releases = 0x72656c65'61736573;
constexpr std::uint64_t k_seed_names = 0x6e616d65'73000000;
constexpr std::uint64_t k_seed_queries = 0x71756572'69657300;

// splitmix64's finalizer: a bijection on 64 bits, so distinct inputs give distinct outputs.
std::uint64_t mix(std::uint64_t value) {
  value += 0x9e3779b97f4a7c15U;
  value = (value ^ (value >> 30U)) * 0xbf58476d1ce4e5b9U;
  value = (value ^ (value >> 27U)) * 0x94d049bb133111ebU;
  return value ^ (value >> 31U);
}

class Random {
 public:
  explicit Random(std::uint64_t seed) : m_state(seed) {}

  std::uint64_t next() {
    m_state += 0x9e3779b97f4a7c15U;
    return mix(m_state);
  }
  // 0 <= result < count (count > 0); the modulo bias is below 1e-13 for our counts.
  std::size_t below(std::size_t count) { return static_cast<std::size_t>(next() % count); }
  int between(int low, int high) {  // inclusive
    return low + static_cast<int>(below(static_cast<std::size_t>(high - low) + 1));
  }
  double unit() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
  bool chance(double probability) { return unit() < probability; }

 private:
  std::uint64_t m_state;
};

// Ranks 0..count-1 drawn with weight 1 / (rank + 1 + offset)^exponent: Zipf's law with
// Mandelbrot's offset, which flattens the head as real word counts are flattened.
class Zipf {
 public:
  Zipf() = default;
  Zipf(std::size_t count, double offset, double exponent) {
    m_cumulative.reserve(count);
    double total = 0;
    for (std::size_t rank = 0; rank < count; ++rank) {
      total += 1.0 / std::pow(static_cast<double>(rank) + 1.0 + offset, exponent);
      m_cumulative.push_back(total);
    }
  }
  std::size_t draw(Random& random) const {
    const double target = random.unit() * m_cumulative.back();
    const auto found = std::upper_bound(m_cumulative.begin(), m_cumulative.end(), target);
    return std::min(static_cast<std::size_t>(found - m_cumulative.begin()),
                    m_cumulative.size() - 1);
  }

 private:
  std::vector<double> m_cumulative;
};

// ---- The vocabulary of a city's press photo captions, most frequent first. Nouns carry their
// gender (m, f, n; p for a plural) so that articles and endings agree.

constexpr std::string_view k_nouns =
    "Oberbürgermeister/m Besuch/m Eröffnung/f Stadt/f Kinder/p Schüler/p Rathaus/n Delegation/f "
    "Gäste/p Veranstaltung/f Ausstellung/f Feuerwehr/f Projekt/n Empfang/m Bürgermeisterin/f "
    "Übergabe/f Spielplatz/m Schule/f Verein/m Preis/m Konferenz/f Jubiläum/n Bürger/p "
    "Vertreter/p Teilnehmer/p Festakt/m Kita/f Spatenstich/m Grundsteinlegung/f Mitarbeiter/p "
    "Polizei/f Gruppe/f Bühne/f Fest/n Markt/m Brücke/f Park/m Platz/m Künstler/p Musik/f "
    "Konzert/n Turnier/n Lauf/m Marathon/m Karneval/m Prinzenpaar/n Rosenmontagszug/m Wagen/m "
    "Baustelle/f Umbau/m Neubau/m Gebäude/n Sporthalle/f Bibliothek/f Museum/n Theater/n Oper/f "
    "Messe/f Flughafen/m Bahnhof/m Rheinufer/n Altstadt/f Stadtteil/m Bezirksvertretung/f "
    "Ratssitzung/f Ausschuss/m Stadtdirektor/m Beigeordnete/f Gewinner/p Preisträgerin/f "
    "Auszeichnung/f Urkunde/f Scheck/m Spende/f Sponsoren/p Partnerstadt/f "
    "Städtepartnerschaft/f Botschafter/m Generalkonsul/m Eintrag/m Stadtrundfahrt/f "
    "Pressekonferenz/f Podiumsdiskussion/f Vortrag/m Workshop/m Schülerinnen/p Lehrerin/f "
    "Erzieherinnen/p Senioren/p Jugendliche/p Familien/p Besucher/p Zuschauer/p Fans/p "
    "Mannschaft/f Spieler/p Trainer/m Fußball/m Stadion/n Arena/f Schwimmbad/n Freibad/n "
    "Radweg/m Fahrrad/n Straßenbahn/f Haltestelle/f Straße/f Kreuzung/f Verkehr/m Umwelt/f "
    "Klimaschutz/m Bäume/p Baum/m Pflanzaktion/f Garten/m Friedhof/m Denkmal/n Gedenkfeier/f "
    "Kranzniederlegung/f Gedenktafel/f Synagoge/f Kirche/f Ehrenamt/n Helfer/p Rettungsdienst/m "
    "Einsatz/m Übung/f Löschzug/m Feuerwache/f Drehleiter/f Fahrzeug/n Feuerwehrleute/p "
    "Polizisten/p Ordnungsamt/n Wohnungen/p Wohnungsbau/m Quartier/n Nachbarschaft/f "
    "Stadtplanung/f Modell/n Entwurf/m Wettbewerb/m Jury/f Sieger/p Siegerin/f Ehrung/f "
    "Sportler/p Sportlerin/f Medaille/f Pokal/m Bürgerinnen/p Anwohner/p Händler/p "
    "Weihnachtsmarkt/m Kirmes/f Schützenfest/n Feuerwerk/n Sommer/m Winter/m Frühling/m "
    "Herbst/m Jahr/n Woche/f Abend/m Eröffnungsfeier/f Festzelt/n Halle/f Saal/m Plenarsaal/m "
    "Foyer/n Innenhof/m Ehrenhof/m Balkon/m Treppe/f Eingang/m Fassade/f Dach/n Turm/m "
    "Schloss/n Landtag/m Ministerin/f Minister/m Staatssekretärin/f Gespräch/n Diskussion/f "
    "Unterzeichnung/f Vertrag/m Vereinbarung/f Kooperation/f Initiative/f Kampagne/f Aktion/f "
    "Plakat/n Bilder/p Gemälde/n Skulptur/f Kunstwerk/n Künstlerin/f Fotografin/f "
    "Schauspieler/p Sängerin/f Orchester/n Chor/m Festival/n Kinderspielplatz/m Schulhof/m "
    "Klassenzimmer/n Unterricht/m Digitalisierung/f Mensa/f Ausbildung/f Auszubildende/p "
    "Praktikum/n Messestand/m Unternehmen/n Wirtschaft/f Hotel/n Tourismus/m Touristen/p "
    "Stadtführung/f Rundgang/m Schiff/n Hafen/m Medienhafen/m Königsallee/f Hofgarten/m "
    "Tonhalle/f Kunstpalast/m Schauspielhaus/n Ehrenbürger/m Rede/f Grußwort/n Applaus/m "
    "Blumen/p Geschenk/n Torte/f Luftballons/p Maskottchen/n Tiere/p Zoo/m Aquazoo/m Pferde/p "
    "Hunde/p Stadtwald/m Rheinwiesen/p Deich/m Hochwasser/n Sturm/m Schnee/m Streufahrzeug/n "
    "Müllabfuhr/f Straßenreinigung/f Recycling/n Solaranlage/f Ladestation/f Elektroautos/p "
    "Carsharing/n Wasserstoffbus/m Kö-Bogen/m Japan-Tag/m";

// The long tail: compounds of these parts, as German makes them ("Kinder" + "fest"), take the
// gender of their last part. Most occur a few times in a million captions, many never.
constexpr std::string_view k_compound_heads =
    "Stadt Kinder Sport Kultur Wasser Garten Schul Rhein Markt Bürger Feuerwehr Jugend Kunst "
    "Musik Messe Bau Verkehr Umwelt Theater Sommer Winter Familien Senioren Nachbarschafts "
    "Bezirks Karnevals Weihnachts Heimat Frauen Fahrrad Bus Bahn Kirchen Friedhofs Park Wald "
    "Blumen Baum Tier Zoo Spiel Lese Bücher Film Foto Tanz Chor Orchester Fußball Tennis Schwimm "
    "Lauf Rad Boots Brücken Straßen Wohn Hafen Altstadt Schützen Rats Partner Freundschafts "
    "Begegnungs Integrations Bildungs Gesundheits Klima Energie Solar Licht Feuer Rettungs "
    "Gedenk Friedens Europa Japan Zukunfts Innovations Gründer Handwerks Schloss Museums Volks "
    "Quartiers";
constexpr std::string_view k_compound_tails =
    "fest/n platz/m haus/n halle/f preis/m woche/f tag/m straße/f brücke/f zentrum/n verein/m "
    "projekt/n schule/f garten/m markt/m turnier/n lauf/m konzert/n ausstellung/f führung/f "
    "gruppe/f werkstatt/f beirat/m treff/m pavillon/m bühne/f feier/f wettbewerb/m initiative/f "
    "programm/n saal/m hof/m park/m anlage/f station/f bad/n weg/m ufer/n turm/m gebäude/n "
    "museum/n akademie/f labor/n büro/n forum/n messe/f kampagne/f aktion/f stiftung/f gala/f "
    "empfang/m sitzung/f konferenz/f tafel/f";

constexpr std::string_view k_verbs =
    "begrüßt eröffnet besucht übergibt unterzeichnet überreicht ehrt empfängt besichtigt "
    "präsentiert feiert enthüllt pflanzt tauft startet lobt testet erkundet verleiht unterstützt "
    "begrüßte eröffnete besuchte übergab unterzeichnete überreichte ehrte empfing besichtigte "
    "präsentierte feierte enthüllte pflanzte taufte startete lobte testete erkundete verlieh "
    "unterstützte";

// Adjective stems; the ending follows the article ("die neue", "den neuen").
constexpr std::string_view k_adjectives =
    "neu feierlich städtisch international jährlich erst groß klein offiziell traditionell "
    "saniert modern historisch digital öffentlich gemeinsam festlich sportlich kulturell jung "
    "ehrenamtlich grün nachhaltig zweit dritt bunt lang schön fröhlich regional japanisch "
    "französisch europäisch sommerlich winterlich neugestaltet erweitert barrierefrei";

constexpr std::array<std::string_view, 50> k_places{
    "in Düsseldorf",
    "im Rathaus",
    "in der Altstadt",
    "am Rheinufer",
    "im Plenarsaal des Rathauses",
    "auf dem Burgplatz",
    "im Hofgarten",
    "in der Tonhalle",
    "auf der Königsallee",
    "im Jan-Wellem-Saal",
    "am Marktplatz",
    "im Medienhafen",
    "in Düsseldorf-Bilk",
    "in Düsseldorf-Oberkassel",
    "in Düsseldorf-Benrath",
    "in Düsseldorf-Gerresheim",
    "in Düsseldorf-Flingern",
    "in Düsseldorf-Kaiserswerth",
    "in Düsseldorf-Eller",
    "in Düsseldorf-Garath",
    "im Schloss Benrath",
    "im Kunstpalast",
    "im NRW-Forum",
    "im Schauspielhaus",
    "in der Messe Düsseldorf",
    "am Flughafen",
    "am Hauptbahnhof",
    "im Stadion",
    "im Zoopark",
    "im Aquazoo",
    "im Südpark",
    "im Nordpark",
    "im Volksgarten",
    "auf den Rheinwiesen",
    "im Ehrenhof",
    "im Stadtmuseum",
    "in der Zentralbibliothek",
    "am Schadowplatz",
    "am Corneliusplatz",
    "am Gustaf-Gründgens-Platz",
    "im Landtag",
    "in der Johanneskirche",
    "an der Kö",
    "auf dem Gelände der Feuerwache",
    "im Rheinturm",
    "in der Rheinterrasse",
    "im Haus der Universität",
    "an der Heinrich-Heine-Universität",
    "im Capitol Theater",
    "im Robert-Schumann-Saal",
};

constexpr std::array<std::string_view, 12> k_times{
    "am Montag",  "am Dienstag",  "am Mittwoch",   "am Donnerstag", "am Freitag",    "am Samstag",
    "am Sonntag", "am Vormittag", "am Nachmittag", "am Abend",      "am Wochenende", "zum Auftakt",
};
constexpr std::array<std::string_view, 12> k_months{
    "Januar", "Februar", "März",      "April",   "Mai",      "Juni",
    "Juli",   "August",  "September", "Oktober", "November", "Dezember",
};

constexpr std::array<std::string_view, 8> k_turnouts{
    "kamen",
    "feierten mit",
    "waren dabei",
    "nahmen teil",
    "informierten sich",
    "machten mit",
    "verfolgten das Programm",
    "applaudierten",
};

constexpr std::string_view k_first_names =
    "Thomas Stephan Anna Jürgen Björn Günter Jörg Sören Käthe Renée Zoë André José Aylin Ayşe "
    "Çağla Michael Andreas Stefan Christian Markus Frank Klaus Wolfgang Peter Hans Dieter Uwe "
    "Bernd Ralf Sabine Susanne Petra Monika Claudia Andrea Birgit Gabriele Martina Julia Laura "
    "Lena Leonie Hannah Lea Sophie Marie Mia Emma Lina Paul Leon Lukas Felix Jonas Finn Elias "
    "Noah Ben Luca Max Moritz Jan Tim Tobias Sebastian Daniel Alexander David Florian Philipp "
    "Simone Miriam Nadine Katrin Kerstin Silke Ute Heike Doris Gisela Ingrid Ursula Helga "
    "Mohamed Mehmet Ahmet Fatma Elif Emre Yusuf Olga Irina Natalia Magda Michał Łukasz Agnieszka "
    "François Hélène Chloé Noémie Hiroshi Yuki Akiko Kenji Mei Wei Li Ana Inês João Zeynep "
    "Tanja Anja Ines Dörte Gönül";
constexpr std::string_view k_last_names =
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann "
    "König Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert "
    "Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke "
    "Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger "
    "Otto Sommer Groß Seidel Heinrich Brandt Haas Schreiber Graf Schulte Dietrich Ziegler Kuhn "
    "Kühn Pohl Engel Horn Busch Bergmann Voigt Sauer Arnold Wolff Pfeiffer Hergenröder Béouindé "
    "Jürgens Böll Gößling Brüggemann Dörr Lübke Nüßlein Öztürk Yılmaz Çelik Kaya Demir Şahin "
    "Nowak Kowalski Wiśniewski Olszewski Popescu Popeanu Sadiki Dubois Lefèvre Hölscher Düsing "
    "Fröhlich Grünewald Jähnke Köster Lüttgens Mößner Nölle Pütz Sträter Többen Weißenborn "
    "Strauß Fuß Preuß Voß Kießling Rößler Späth Jöckel Götz Schütz Glöckner Brügger Lüdtke "
    "Büttner Höfer Kürten Thönnes Offermanns Terhorst Nguyen Tanaka Yamamoto Sato Kim Park Wang "
    "Rossi Bianchi García Fernández Núñez López Müllenbach Özdemir Aydın Papadopoulos Ivanović "
    "Horváth Kessler Lindner Geisler Janßen Hüsken Schürmann Wölfel Brück Kämmerer Römer Löffler "
    "Schäfers Jansen Hansen Petersen Möllers Derichs Esser Frings Heesen Kox Lambertz Mertens "
    "Nießen Quadflieg Rütten Schiffer Tillmanns Vennekel Wirtz Zündorf Adolphs Bröcker Cremer "
    "Dahmen Ehlert Flöck Gerhards Hülsmann Ibach Jakobs Kreuels Laufenberg Mevissen Nellessen "
    "Oellers Päffgen Reuter Sieben Thelen Ueberholz Vossen Weyers";

constexpr std::array<std::string_view, 19> k_roles{
    "OB",
    "Oberbürgermeister",
    "Bürgermeisterin",
    "Bürgermeister",
    "Stadtdirektor",
    "Beigeordnete",
    "Bezirksbürgermeisterin",
    "Schulleiterin",
    "Feuerwehrchef",
    "Polizeipräsident",
    "Direktorin",
    "Vorsitzender",
    "Geschäftsführerin",
    "Intendant",
    "Kulturdezernentin",
    "Generalkonsulin",
    "Botschafter",
    "Prof.",
    "Dr.",
};
constexpr std::array<std::string_view, 12> k_partner_cities{
    "(Düsseldorf)", "(Rabat)", "(Ouagadougou)", "(Warschau)", "(Montréal)", "(Chongqing)",
    "(Moskau)",     "(Haifa)", "(Reading)",     "(Palermo)",  "(Chemnitz)", "(Cluj)",
};

constexpr std::array<std::string_view, 24> k_rights_holders{
    "Landeshauptstadt Düsseldorf",
    "Feuerwehr Düsseldorf",
    "Stadtwerke Düsseldorf AG",
    "Messe Düsseldorf GmbH",
    "Düsseldorf Tourismus GmbH",
    "Rheinbahn AG",
    "Tonhalle Düsseldorf",
    "Deutsche Oper am Rhein",
    "Flughafen Düsseldorf GmbH",
    "Polizei Düsseldorf",
    "D.Live GmbH",
    "Stiftung Museum Kunstpalast",
    "NRW-Forum Düsseldorf",
    "Düsseldorfer Schauspielhaus",
    "Aquazoo Löbbecke Museum",
    "Stadtsparkasse Düsseldorf",
    "Universitätsklinikum Düsseldorf",
    "Heinrich-Heine-Universität Düsseldorf",
    "Comitee Düsseldorfer Carneval e.V.",
    "Jugendamt Düsseldorf",
    "Gartenamt Düsseldorf",
    "Amt für Verkehrsmanagement",
    "Umweltamt Düsseldorf",
    "Kulturamt Düsseldorf",
};

constexpr std::array<std::string_view, 40> k_events{
    "Japan-Tag",
    "Rosenmontagszug",
    "Weihnachtsmarkt",
    "Rheinkirmes",
    "Marathon",
    "Schützenfest",
    "Tag der offenen Tür",
    "Living Together",
    "Kö-Lauf",
    "Sommerfest",
    "Neujahrsempfang",
    "Sportlerehrung",
    "Nacht der Museen",
    "Frankreichfest",
    "Stadtradeln",
    "Einschulung",
    "Ratssitzung",
    "Bürgerdialog",
    "Boot",
    "Caravan Salon",
    "Altstadtherbst",
    "Jazz Rally",
    "Hoppeditz-Erwachen",
    "Martinszug",
    "Gedenkfeier 9. November",
    "Tag der Deutschen Einheit",
    "Ehrenamtstag",
    "Europatag",
    "Fahrradsternfahrt",
    "Schulstart",
    "Hafenfest",
    "Kinderfest",
    "Seniorentag",
    "Mobilitätswoche",
    "Umwelttag",
    "Heimatpreis",
    "Kulturnacht",
    "Schumannfest",
    "Tour de Düsseldorf",
    "Weltkindertag",
};

constexpr std::array<std::string_view, 48> k_districts{
    "Altstadt",   "Carlstadt", "Pempelfort",     "Derendorf",     "Golzheim",     "Bilk",
    "Unterbilk",  "Oberbilk",  "Friedrichstadt", "Flingern",      "Düsseltal",    "Gerresheim",
    "Benrath",    "Urdenbach", "Kaiserswerth",   "Oberkassel",    "Niederkassel", "Heerdt",
    "Lörick",     "Rath",      "Unterrath",      "Lichtenbroich", "Eller",        "Lierenfeld",
    "Vennhausen", "Wersten",   "Holthausen",     "Himmelgeist",   "Reisholz",     "Hassels",
    "Garath",     "Hellerhof", "Hamm",           "Volmerswerth",  "Flehe",        "Stockum",
    "Lohausen",   "Angermund", "Wittlaer",       "Kalkum",        "Grafenberg",   "Ludenberg",
    "Hubbelrath", "Knittkuhl", "Mörsenbroich",   "Itter",         "Hafen",        "Düsseltal Ost",
};

// "Area: leaves", one area per entry.
constexpr std::array<std::string_view, 12> k_topics{
    "Kultur: Ausstellung Konzert Theater Lesung",
    "Sport: Fußball Laufsport Schwimmen Radsport",
    "Bildung: Schule Kita Hochschule Ausbildung",
    "Verkehr: Radverkehr Straßenbahn Baustellen Brücken",
    "Umwelt: Klimaschutz Stadtbäume Grünflächen Gewässer",
    "Soziales: Senioren Familien Integration Ehrenamt",
    "Wirtschaft: Messe Handel Tourismus Gründungen",
    "Sicherheit: Feuerwehr Polizei Ordnungsamt Rettungsdienst",
    "Stadtplanung: Wohnungsbau Neubau Quartiere Denkmalschutz",
    "Internationales: Partnerstädte Delegationen Konsulate Europa",
    "Brauchtum: Karneval Schützen Kirmes Martinszug",
    "Politik: Rat Bezirksvertretungen Wahlen Bürgerbeteiligung",
};

struct Camera {
  std::string_view make;
  std::string_view model;
};
constexpr std::array<Camera, 8> k_cameras{{
    {"Canon", "Canon EOS 5D Mark IV"},
    {"Canon", "Canon EOS R5"},
    {"NIKON CORPORATION", "NIKON D850"},
    {"NIKON CORPORATION", "NIKON Z 6_2"},
    {"SONY", "ILCE-7M3"},
    {"FUJIFILM", "X-T4"},
    {"Apple", "iPhone 13 Pro"},
    {"Canon", "Canon EOS 6D"},
}};
struct Format {
  int width;
  int height;
};
constexpr std::array<Format, 9> k_formats{{
    {6000, 4000},
    {5472, 3648},
    {8256, 5504},
    {6720, 4480},
    {6048, 4024},
    {4000, 3000},
    {3000, 2000},
    {2048, 1365},
    {1920, 1280},
}};

// Licences: 0 is the usual terms without dates; then expired ones, then embargoes (after the
// "today" of these runs, 2026-11-27, so that they stay embargoed for a while).
constexpr std::string_view k_usage_terms =
    "Zu Ihrer redaktionellen Verwendung, honorarfrei, mit Nennung des Fotografen";
constexpr std::array<std::string_view, 8> k_expiry_dates{
    "2016-06-30", "2017-12-31", "2018-09-30", "2019-12-31",
    "2020-06-30", "2021-12-31", "2023-03-31", "2025-12-31",
};
constexpr std::array<std::string_view, 4> k_embargo_dates{"2027-01-15", "2027-03-01", "2027-06-30",
                                                          "2028-01-01"};

constexpr int k_photographers = 2'000;
constexpr int k_people_shown = 20'000;
constexpr int k_photos_per_release = 250;
constexpr int k_first_year = 2015;
constexpr int k_years = 12;  // 2015 to 2026

// ---- Parsed vocabulary, names and tags, the same for every N.

struct Noun {
  std::string word;
  char gender;  // m, f, n; p: a plural
};

struct Name {
  std::string first;
  std::string last;
  std::string full;
};

struct Tag {
  std::int64_t id;
  std::optional<std::int64_t> parent_id;
  std::string name;
  std::string path;
  std::string folded_path;
};

std::vector<std::string_view> words_of(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) {
      break;
    }
    const std::size_t end = std::min(text.find(' ', start), text.size());
    words.push_back(text.substr(start, end - start));
    pos = end;
  }
  return words;
}

std::vector<Noun> nouns_of(std::string_view text) {
  std::vector<Noun> nouns;
  for (const auto word : words_of(text)) {
    const std::size_t slash = word.find('/');
    nouns.push_back(Noun{std::string(word.substr(0, slash)), word.at(slash + 1)});
  }
  return nouns;
}

struct Corpus {
  std::vector<Noun> nouns;      // real nouns, most frequent first
  std::vector<Noun> compounds;  // the generated tail
  Zipf noun_rank;
  Zipf compound_rank;
  std::vector<std::string_view> verbs;
  Zipf verb_rank;
  std::vector<std::string_view> adjectives;
  Zipf adjective_rank;
  Zipf place_rank;
  Zipf role_rank;
  std::vector<Name> names;  // photographers first, then the people shown
  Zipf photographer_rank;
  Zipf person_rank;
  Zipf holder_rank;
  Zipf event_rank;
  Zipf district_rank;
  std::vector<Tag> tags;
  std::vector<std::int64_t> event_tags;     // [event * k_years + year - k_first_year]
  std::vector<std::int64_t> district_tags;  // [district]
  std::vector<std::int64_t> topic_tags;     // the leaves, [area * 4 + leaf]
  Zipf topic_rank;

  // The share of noun draws taken from the real nouns; the rest come from the tail.
  static constexpr double k_real_noun_share = 0.82;

  const Noun& draw_noun(Random& random) const {
    if (random.chance(k_real_noun_share)) {
      return nouns[noun_rank.draw(random)];
    }
    return compounds[compound_rank.draw(random)];
  }
  std::string_view draw_verb(Random& random) const { return verbs[verb_rank.draw(random)]; }
  std::string_view draw_adjective(Random& random) const {
    return adjectives[adjective_rank.draw(random)];
  }
  std::string_view draw_place(Random& random) const { return k_places[place_rank.draw(random)]; }
  const Name& photographer(std::size_t index) const { return names[index]; }
  const Name& person(std::size_t index) const { return names[k_photographers + index]; }
  // Row ids in people: the photographers first, then the people shown.
  static std::int64_t photographer_id(std::size_t index) {
    return static_cast<std::int64_t>(index) + 1;
  }
  static std::int64_t person_id(std::size_t index) {
    return static_cast<std::int64_t>(k_photographers + index) + 1;
  }
};

std::string join_tag_path(const std::vector<std::string>& levels, bool folded) {
  std::string path;
  for (const auto& level : levels) {
    if (!path.empty()) {
      path += '|';
    }
    path += folded ? pressroom::fold_for_search(level) : level;
  }
  return path;
}

// The tag at `levels` and, first, its ancestors, as Catalog::add_tag makes them.
std::int64_t ensure_tag(Corpus& corpus, std::map<std::string, std::int64_t>& by_path,
                        const std::vector<std::string>& levels) {
  std::optional<std::int64_t> parent;
  std::vector<std::string> prefix;
  for (const auto& level : levels) {
    prefix.push_back(level);
    const std::string path = join_tag_path(prefix, false);
    const auto found = by_path.find(path);
    if (found != by_path.end()) {
      parent = found->second;
      continue;
    }
    const auto id = static_cast<std::int64_t>(corpus.tags.size()) + 1;
    corpus.tags.push_back(Tag{id, parent, level, path, join_tag_path(prefix, true)});
    by_path.emplace(path, id);
    parent = id;
  }
  return *parent;
}

Corpus make_corpus() {
  Corpus corpus;
  corpus.nouns = nouns_of(k_nouns);
  std::unordered_set<std::string> known;
  for (const auto& noun : corpus.nouns) {
    known.insert(noun.word);
  }
  // Two-part compounds first (the more frequent), then three-part ones, each group shuffled so
  // that rank does not follow the alphabet.
  const auto heads = words_of(k_compound_heads);
  const auto tails = nouns_of(k_compound_tails);
  const auto lower_first = [](std::string_view word) {
    std::string out(word);
    if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') {
      out[0] = static_cast<char>(out[0] - 'A' + 'a');
    }
    return out;
  };
  Random random(k_seed_names);
  const auto add_shuffled = [&](std::vector<Noun> group) {
    for (std::size_t i = group.size(); i > 1; --i) {
      std::swap(group[i - 1], group[random.below(i)]);
    }
    for (auto& noun : group) {
      if (known.insert(noun.word).second) {
        corpus.compounds.push_back(std::move(noun));
      }
    }
  };
  std::vector<Noun> two_part;
  for (const auto head : heads) {
    for (const auto& tail : tails) {
      two_part.push_back(Noun{std::string(head) + tail.word, tail.gender});
    }
  }
  add_shuffled(std::move(two_part));
  std::vector<Noun> three_part;
  for (const auto head : heads) {
    for (const auto middle : heads) {
      if (middle == head) {
        continue;
      }
      for (const auto& tail : tails) {
        three_part.push_back(
            Noun{std::string(head) + lower_first(middle) + tail.word, tail.gender});
      }
    }
  }
  add_shuffled(std::move(three_part));
  // Offsets and exponents chosen (by trying, at 100,000 photos) so that the most frequent nouns
  // occur in 13-25% of all photos' text, caption and release title, as the issue describes real
  // captions ("some words in a fifth of all captions"), while most of the tail's words occur in
  // a handful of photos or none.
  corpus.noun_rank = Zipf(corpus.nouns.size(), 5.0, 1.0);
  corpus.compound_rank = Zipf(corpus.compounds.size(), 10.0, 1.0);
  corpus.verbs = words_of(k_verbs);
  corpus.verb_rank = Zipf(corpus.verbs.size(), 2.0, 1.0);
  corpus.adjectives = words_of(k_adjectives);
  corpus.adjective_rank = Zipf(corpus.adjectives.size(), 1.0, 1.0);
  corpus.place_rank = Zipf(k_places.size(), 1.5, 1.0);
  corpus.role_rank = Zipf(k_roles.size(), 0.5, 1.0);

  const auto firsts = words_of(k_first_names);
  const auto lasts = words_of(k_last_names);
  std::vector<Name> names;
  for (const auto last : lasts) {
    for (const auto first : firsts) {
      names.push_back(Name{std::string(first), std::string(last),
                           std::string(first) + " " + std::string(last)});
    }
  }
  for (std::size_t i = names.size(); i > 1; --i) {
    std::swap(names[i - 1], names[random.below(i)]);
  }
  assert(names.size() >= k_photographers + k_people_shown);  // 118 × 227 names to draw from
  names.resize(k_photographers + k_people_shown);
  corpus.names = std::move(names);
  corpus.photographer_rank = Zipf(k_photographers, 3.0, 1.0);
  corpus.person_rank = Zipf(k_people_shown, 10.0, 1.0);
  corpus.holder_rank = Zipf(k_rights_holders.size(), 0.0, 2.2);
  corpus.event_rank = Zipf(k_events.size(), 2.0, 1.0);
  corpus.district_rank = Zipf(k_districts.size(), 3.0, 1.0);

  std::map<std::string, std::int64_t> by_path;
  for (const auto event : k_events) {
    for (int year = k_first_year; year < k_first_year + k_years; ++year) {
      corpus.event_tags.push_back(
          ensure_tag(corpus, by_path, {"Event", std::string(event) + " " + std::to_string(year)}));
    }
  }
  for (const auto district : k_districts) {
    corpus.district_tags.push_back(
        ensure_tag(corpus, by_path, {"Ort", "Düsseldorf", std::string(district)}));
  }
  for (const auto topic : k_topics) {
    const std::size_t colon = topic.find(':');
    const std::string area(topic.substr(0, colon));
    for (const auto leaf : words_of(topic.substr(colon + 1))) {
      corpus.topic_tags.push_back(ensure_tag(corpus, by_path, {"Thema", area, std::string(leaf)}));
    }
  }
  corpus.topic_rank = Zipf(corpus.topic_tags.size(), 2.0, 1.0);
  return corpus;
}

// ---- German, well enough for captions: definite articles, weak adjective endings, the
// dative plural -n and the genitive -s.

enum class Case { nominative, accusative, dative, genitive };

std::string_view article(Case grammatical_case, char gender) {
  constexpr std::array<std::array<std::string_view, 4>, 4> k_articles{{
      {"der", "die", "das", "die"},  // m f n p
      {"den", "die", "das", "die"},
      {"dem", "der", "dem", "den"},
      {"des", "der", "des", "der"},
  }};
  const std::size_t column = gender == 'm' ? 0 : gender == 'f' ? 1 : gender == 'n' ? 2 : 3;
  return k_articles.at(static_cast<std::size_t>(grammatical_case)).at(column);
}

std::string_view adjective_ending(Case grammatical_case, char gender) {
  if (gender == 'p' || grammatical_case == Case::dative || grammatical_case == Case::genitive) {
    return "en";
  }
  return grammatical_case == Case::accusative && gender == 'm' ? "en" : "e";
}

bool ends_with_any(std::string_view word, std::initializer_list<std::string_view> endings) {
  return std::any_of(endings.begin(), endings.end(),
                     [&](std::string_view ending) { return word.ends_with(ending); });
}

std::string noun_form(const Noun& noun, Case grammatical_case) {
  if (grammatical_case == Case::dative && noun.gender == 'p' &&
      !ends_with_any(noun.word, {"n", "s"})) {
    return noun.word + "n";  // "den Kindern"
  }
  if (grammatical_case == Case::genitive && (noun.gender == 'm' || noun.gender == 'n') &&
      !noun.word.ends_with("mus")) {
    return noun.word + (ends_with_any(noun.word, {"s", "ß", "z", "x"}) ? "es" : "s");
  }
  return noun.word;
}

// "in dem" is "im", "zu der" "zur": German contracts a preposition and its article.
std::string_view contraction(std::string_view preposition, std::string_view article) {
  struct Contraction {
    std::string_view preposition;
    std::string_view article;
    std::string_view contracted;
  };
  constexpr std::array<Contraction, 6> k_contractions{{
      {"in", "dem", "im"},
      {"an", "dem", "am"},
      {"bei", "dem", "beim"},
      {"zu", "dem", "zum"},
      {"zu", "der", "zur"},
      {"von", "dem", "vom"},
  }};
  for (const auto& entry : k_contractions) {
    if (entry.preposition == preposition && entry.article == article) {
      return entry.contracted;
    }
  }
  return {};
}

std::size_t count_words(std::string_view text) {
  return words_of(text).size();
}

// The first letter in upper case, for the letters a sentence of ours can start with.
std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
    text[0] = static_cast<char>(text[0] - 'a' + 'A');
  } else if (text.size() > 1 && text[0] == '\xC3' && text[1] >= '\xA0' && text[1] <= '\xBE') {
    text[1] = static_cast<char>(text[1] - 0x20);  // ä ö ü → Ä Ö Ü (Latin-1 Supplement)
  }
  return text;
}

struct Date {
  int year;
  unsigned month;
  unsigned day;
};

Date date_of_day(int day_number) {
  using std::chrono::days;
  using std::chrono::sys_days;
  using std::chrono::year;
  using std::chrono::year_month_day;
  const year_month_day date{sys_days{year{k_first_year} / 1 / 1} + days{day_number}};
  return Date{static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
              static_cast<unsigned>(date.day())};
}

std::string two_digits(unsigned value) {
  return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

std::string iso_date(const Date& date) {
  return std::to_string(date.year) + "-" + two_digits(date.month) + "-" + two_digits(date.day);
}

class Writer {
 public:
  Writer(const Corpus& corpus, Random& random) : m_corpus(corpus), m_random(random) {}

  // A noun phrase in `grammatical_case`, after `preposition` when there is one:
  // "beim feierlichen Empfang des Generalkonsuls".
  std::string noun_phrase(Case grammatical_case, std::string_view preposition = {}) {
    const Noun& noun = m_corpus.draw_noun(m_random);
    const std::string_view the = article(grammatical_case, noun.gender);
    std::string out;
    if (const auto contracted = contraction(preposition, the); !contracted.empty()) {
      out = contracted;
    } else {
      if (!preposition.empty()) {
        out.append(preposition).append(" ");
      }
      out.append(the);
    }
    if (m_random.chance(0.3)) {
      out.append(" ")
          .append(m_corpus.draw_adjective(m_random))
          .append(adjective_ending(grammatical_case, noun.gender));
    }
    out.append(" ").append(noun_form(noun, grammatical_case));
    if (grammatical_case != Case::genitive && m_random.chance(0.25)) {
      out.append(" ").append(noun_phrase(Case::genitive));
    }
    return out;
  }

  std::string prepositional_phrase() {
    struct Preposition {
      std::string_view word;
      Case governs;
    };
    constexpr std::array<Preposition, 8> k_prepositions{{
        {"bei", Case::dative},
        {"mit", Case::dative},
        {"nach", Case::dative},
        {"vor", Case::dative},
        {"zu", Case::dative},
        {"für", Case::accusative},
        {"während", Case::genitive},
        {"bei", Case::dative},
    }};
    const auto& preposition = k_prepositions.at(m_random.below(k_prepositions.size()));
    return noun_phrase(preposition.governs, preposition.word);
  }

  std::string time_phrase(const Date& date) {
    if (m_random.chance(0.5)) {
      return std::string(k_times.at(m_random.below(k_times.size())));
    }
    return "am " + std::to_string(date.day) + ". " + std::string(k_months.at(date.month - 1)) +
           " " + std::to_string(date.year);
  }

  // One sentence of a caption, without its full stop.
  std::string sentence(const Date& date) {
    std::string out;
    switch (m_random.below(5)) {
      case 0:
      case 1:  // "Der Oberbürgermeister begrüßt die Delegation im Rathaus"
        out = noun_phrase(Case::nominative) + " " + std::string(m_corpus.draw_verb(m_random)) +
              " " + noun_phrase(Case::accusative);
        if (m_random.chance(0.4)) {
          out += " " + prepositional_phrase();
        }
        break;
      case 2:  // "Bei der Eröffnung des Kinderspielplatzes"
        out = prepositional_phrase();
        break;
      case 3:  // "Blick in die neue Sporthalle"
        out = "Blick " + noun_phrase(Case::accusative, m_random.chance(0.5) ? "auf" : "in");
        break;
      default:  // "Schüler und Lehrerin beim Spatenstich"
        out = noun_phrase(Case::nominative) + " und " + noun_phrase(Case::nominative) + " " +
              prepositional_phrase();
        break;
    }
    if (m_random.chance(0.55)) {
      out += " " + std::string(m_corpus.draw_place(m_random));
    }
    if (m_random.chance(0.25)) {
      out += " " + time_phrase(date);
    }
    return capitalized(std::move(out));
  }

  // "V.l.: OB Anna Weiß (Düsseldorf), Jürgen Hergenröder und Björn Müller", as the press
  // office names the people in a photo from left to right.
  std::string people_lead(const std::vector<std::size_t>& people) {
    std::string out = people.size() > 1 ? "V.l.: " : "";
    for (std::size_t i = 0; i < people.size(); ++i) {
      if (i > 0) {
        out += i + 1 == people.size() ? " und " : ", ";
      }
      if (m_random.chance(0.5)) {
        out.append(k_roles.at(m_corpus.role_rank.draw(m_random))).append(" ");
      }
      out += m_corpus.person(people[i]).full;
      if (m_random.chance(0.15)) {
        out.append(" ").append(k_partner_cities.at(m_random.below(k_partner_cities.size())));
      }
    }
    return out;
  }

  // A caption of 8 to 35 words: sometimes the people first, then sentences.
  std::string caption(const std::vector<std::size_t>& people, const Date& date) {
    constexpr std::size_t k_min_words = 8;
    constexpr std::size_t k_max_words = 35;
    const auto target = static_cast<std::size_t>(
        m_random.between(static_cast<int>(k_min_words), static_cast<int>(k_max_words)));
    std::string out;
    std::size_t words = 0;
    if (m_random.chance(0.45)) {
      out = people_lead(people) + " " + prepositional_phrase();
      words = count_words(out);
    }
    while (words < target) {
      std::string next = sentence(date);
      const std::size_t more = count_words(next);
      if (words >= k_min_words && words + more > k_max_words) {
        break;
      }
      if (words > 0) {
        out += ". ";
      }
      out += next;
      words += more;
      if (m_random.chance(0.08)) {  // "Rund 35 Gäste kamen."
        out += ". Rund " + std::to_string(m_random.between(2, 40) * 5) + " " +
               m_corpus.nouns[m_random.below(m_corpus.nouns.size())].word + " " +
               std::string(k_turnouts.at(m_random.below(k_turnouts.size())));
        words = count_words(out);
      }
    }
    return out + ".";
  }

  // A release title: "Oberbürgermeister eröffnet neuen Spielplatz im Hofgarten".
  std::string title() {
    std::string out = noun_phrase(Case::nominative) + " " +
                      std::string(m_corpus.draw_verb(m_random)) + " " +
                      noun_phrase(Case::accusative);
    if (m_random.chance(0.6)) {
      out += " " + std::string(m_corpus.draw_place(m_random));
    }
    return capitalized(std::move(out));
  }

 private:
  const Corpus& m_corpus;
  Random& m_random;
};

// ---- The catalog's layout: N photos in N / 250 releases, in date order, 2015 to 2026.

struct Release {
  std::int64_t id = 0;
  std::int64_t first_photo = 0;  // 0-based photo index
  std::int64_t photo_count = 0;
  int day = 0;  // days since 2015-01-01
  Date date{};
  std::string title;
  std::string subtitle;
  std::string body;
  bool is_news = false;
  std::size_t event = 0;
  std::size_t district = 0;
  std::vector<std::size_t> topics;  // indices into Corpus::topic_tags
  std::size_t photographer = 0;
  std::size_t holder = 0;
  std::vector<std::size_t> cast;       // the people the release's photos mostly show
  std::optional<std::size_t> licence;  // index into the licence rows
};

struct Photo {
  std::int64_t id = 0;
  std::string sha256;
  std::int64_t byte_size = 0;
  int width = 0;
  int height = 0;
  int orientation = 1;
  std::string date_taken;
  std::optional<Camera> camera;
  std::string original_name;
  std::string imported_from;
  std::string caption;
  std::size_t photographer = 0;
  std::size_t holder = 0;
  std::vector<std::size_t> people;  // left to right
  std::vector<std::int64_t> tags;
  std::int64_t position = 0;  // in its release
};

constexpr int k_last_day = 4'341;  // 2026-11-20
constexpr std::size_t k_licences = 1 + k_expiry_dates.size() + k_embargo_dates.size();

struct Layout {
  std::int64_t photos = 0;
  std::int64_t releases = 0;

  explicit Layout(std::int64_t photo_count)
      : photos(photo_count),
        releases(std::max<std::int64_t>(1, photo_count / k_photos_per_release)) {}

  std::int64_t release_of(std::int64_t photo) const { return photo * releases / photos; }
  std::int64_t first_photo_of(std::int64_t release) const {
    return (release * photos + releases - 1) / releases;
  }
};

std::string hex64(std::uint64_t first) {
  static constexpr std::string_view k_hex = "0123456789abcdef";
  std::string out;
  std::uint64_t word = first;
  for (int part = 0; part < 4; ++part) {
    for (int digit = 0; digit < 16; ++digit) {
      out += k_hex[(word >> 60U) & 0xFU];
      word <<= 4U;
    }
    word = mix(first + static_cast<std::uint64_t>(part) + 1);
  }
  return out;
}

// ASCII for file names, as the press office's camera files are named: "Uebergabe".
std::string ascii(std::string_view word) {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto byte = static_cast<unsigned char>(word[i]);
    if (byte < 0x80) {
      out += word[i];
      continue;
    }
    const std::string_view rest = word.substr(i);
    if (rest.starts_with("ä") || rest.starts_with("Ä")) {
      out += rest.starts_with("ä") ? "ae" : "Ae";
    } else if (rest.starts_with("ö") || rest.starts_with("Ö")) {
      out += rest.starts_with("ö") ? "oe" : "Oe";
    } else if (rest.starts_with("ü") || rest.starts_with("Ü")) {
      out += rest.starts_with("ü") ? "ue" : "Ue";
    } else if (rest.starts_with("ß")) {
      out += "ss";
    }
    while (i + 1 < word.size() && (static_cast<unsigned char>(word[i + 1]) & 0xC0U) == 0x80U) {
      ++i;
    }
  }
  return out;
}

Release make_release(const Corpus& corpus, const Layout& layout, std::int64_t index) {
  Random random(mix(k_seed_releases + static_cast<std::uint64_t>(index)));
  Writer writer(corpus, random);
  Release release;
  release.id = index + 1;
  release.first_photo = layout.first_photo_of(index);
  release.photo_count = layout.first_photo_of(index + 1) - release.first_photo;
  release.day = static_cast<int>(index * k_last_day / layout.releases);
  release.date = date_of_day(release.day);
  release.title = writer.title();
  release.subtitle = writer.sentence(release.date);
  for (int i = random.between(3, 7); i > 0; --i) {
    release.body += writer.sentence(release.date) + ". ";
  }
  release.is_news = random.chance(0.1);
  release.event = corpus.event_rank.draw(random);
  release.district = corpus.district_rank.draw(random);
  for (int i = random.between(1, 2); i > 0; --i) {
    const std::size_t topic = corpus.topic_rank.draw(random);
    if (std::find(release.topics.begin(), release.topics.end(), topic) == release.topics.end()) {
      release.topics.push_back(topic);
    }
  }
  release.photographer = corpus.photographer_rank.draw(random);
  release.holder = corpus.holder_rank.draw(random);
  for (int i = random.between(3, 8); i > 0; --i) {
    release.cast.push_back(corpus.person_rank.draw(random));
  }
  // Most photos may be used freely; some releases carry terms that ran out or an embargo.
  const double licence = random.unit();
  if (licence < 0.07) {
    release.licence = 0;
  } else if (licence < 0.12) {
    release.licence = 1 + random.below(k_expiry_dates.size());
  } else if (licence < 0.15) {
    release.licence = 1 + k_expiry_dates.size() + random.below(k_embargo_dates.size());
  }
  return release;
}

Photo make_photo(const Corpus& corpus, const Release& release, std::int64_t index) {
  Random random(mix(k_seed_photos + static_cast<std::uint64_t>(index)));
  Writer writer(corpus, random);
  Photo photo;
  photo.id = index + 1;
  photo.position = index - release.first_photo + 1;
  photo.sha256 = hex64(mix(static_cast<std::uint64_t>(index)));
  const Format format = k_formats.at(random.below(k_formats.size()));
  photo.width = format.width;
  photo.height = format.height;
  const double turn = random.unit();
  if (turn < 0.12) {
    std::swap(photo.width, photo.height);  // portrait, stored upright
  } else if (turn < 0.20) {
    photo.orientation = 6;  // portrait, stored sideways with an EXIF rotation
  } else if (turn < 0.22) {
    photo.orientation = 8;
  } else if (turn < 0.23) {
    photo.height = photo.width;
  }
  photo.byte_size = static_cast<std::int64_t>(photo.width) * photo.height / 3 +
                    static_cast<std::int64_t>(random.below(400'000));
  const int day = std::max(0, release.day - random.between(0, 1));
  const Date date = date_of_day(day);
  photo.date_taken = iso_date(date) + "T" +
                     two_digits(static_cast<unsigned>(random.between(8, 21))) + ":" +
                     two_digits(static_cast<unsigned>(random.between(0, 59))) + ":" +
                     two_digits(static_cast<unsigned>(random.between(0, 59)));
  if (random.chance(0.85)) {
    photo.camera = k_cameras.at(random.below(k_cameras.size()));
  }
  photo.photographer =
      random.chance(0.85) ? release.photographer : corpus.photographer_rank.draw(random);
  photo.holder = random.chance(0.9) ? release.holder : corpus.holder_rank.draw(random);
  const double shown = random.unit();
  const int people = shown < 0.5 ? 1 : shown < 0.8 ? 2 : 3;
  while (static_cast<int>(photo.people.size()) < people) {
    const std::size_t person = random.chance(0.8) ? release.cast[random.below(release.cast.size())]
                                                  : corpus.person_rank.draw(random);
    if (std::find(photo.people.begin(), photo.people.end(), person) == photo.people.end()) {
      photo.people.push_back(person);
    }
  }
  photo.caption = writer.caption(photo.people, date);
  const std::string yymmdd =
      std::to_string(date.year % 100) + two_digits(date.month) + two_digits(date.day);
  photo.original_name = yymmdd + "-" + ascii(corpus.draw_noun(random).word) +
                        std::to_string(random.between(1, 12)) + ".JPG";
  photo.imported_from = "https://www.duesseldorf.de/fileadmin/Amt13/pressebilder/" +
                        yymmdd.substr(0, 4) + "/" + photo.original_name;
  const auto year = static_cast<std::size_t>(release.date.year - k_first_year);
  photo.tags.push_back(corpus.event_tags.at(release.event * k_years + year));
  photo.tags.push_back(corpus.district_tags.at(release.district));
  for (const auto topic : release.topics) {
    if (random.chance(0.7)) {
      photo.tags.push_back(corpus.topic_tags.at(topic));
    }
  }
  return photo;
}

// The text pressroom indexes for a photo, for the FTS5 table: caption, release title,
// photographer, rights holder, the people shown and the tags' words.
std::string searchable_text(const Corpus& corpus, const Release& release, const Photo& photo) {
  std::string text = photo.caption + "\n" + release.title + "\n" +
                     corpus.photographer(photo.photographer).full + "\n" +
                     std::string(k_rights_holders.at(photo.holder));
  for (const auto person : photo.people) {
    text += "\n" + corpus.person(person).full;
  }
  for (const auto tag : photo.tags) {
    text += "\n" + corpus.tags.at(static_cast<std::size_t>(tag - 1)).path;
  }
  return text;
}

// ---- Raw SQLite, for the bulk insert and the FTS5 table.

struct CloseConnection {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;
struct FinalizeStatement {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

Error sqlite_error(sqlite3* db, std::string_view what) {
  const char* file = sqlite3_db_filename(db, "main");
  return Error{Errc::database, file != nullptr ? file : "",
               std::string(what) + ": " + sqlite3_errmsg(db)};
}

Result<Connection> open_connection(const std::filesystem::path& file, int flags) {
  sqlite3* raw = nullptr;
  const int code = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Connection db(raw);
  if (code != SQLITE_OK) {
    return fail(
        Errc::database, file.string(),
        std::string("cannot open: ") + (raw != nullptr ? sqlite3_errmsg(raw) : "no memory"));
  }
  return db;
}

Result<void> execute(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message != nullptr ? message : "failed";
    sqlite3_free(message);
    return fail(Errc::database, sql.substr(0, 60), text);
  }
  return {};
}

Result<Statement> prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &raw, nullptr) != SQLITE_OK) {
    return fail(sqlite_error(db, "cannot prepare " + std::string(sql.substr(0, 60))));
  }
  return Statement(raw);
}

template <class T>
int bind_value(sqlite3_stmt* statement, int index, const T& value) {
  if constexpr (std::is_same_v<T, std::nullopt_t>) {
    return sqlite3_bind_null(statement, index);
  } else if constexpr (std::is_pointer_v<T> && !std::is_convertible_v<T, std::string_view>) {
    // nullptr: NULL
    return value != nullptr ? bind_value(statement, index, *value)
                            : sqlite3_bind_null(statement, index);
  } else if constexpr (std::is_same_v<T, bool>) {
    return sqlite3_bind_int(statement, index, value ? 1 : 0);
  } else if constexpr (std::is_integral_v<T>) {
    return sqlite3_bind_int64(statement, index, static_cast<sqlite3_int64>(value));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    const std::string_view text(value);
    // SQLITE_STATIC: every value outlives the step that reads it.
    return sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                             SQLITE_STATIC);
  } else {  // std::optional
    return value ? bind_value(statement, index, *value) : sqlite3_bind_null(statement, index);
  }
}

// Binds `values` to ?1, ?2, … and runs `statement` once.
template <class... Values>
Result<void> run(sqlite3_stmt* statement, const Values&... values) {
  int index = 0;
  int code = SQLITE_OK;
  const auto bind = [&](const auto& value) {
    ++index;
    if (code == SQLITE_OK) {
      code = bind_value(statement, index, value);
    }
  };
  (bind(values), ...);
  if (code == SQLITE_OK) {
    code = sqlite3_step(statement);
    code = code == SQLITE_DONE ? SQLITE_OK : code;
  }
  sqlite3_reset(statement);
  if (code != SQLITE_OK) {
    return fail(sqlite_error(sqlite3_db_handle(statement),
                             std::string("cannot run ") + sqlite3_sql(statement)));
  }
  return {};
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double milliseconds(Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

std::uintmax_t bytes_of(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) {
    return std::filesystem::file_size(path, error);
  }
  std::uintmax_t total = 0;
  for (std::filesystem::recursive_directory_iterator it(path, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file(error)) {
      total += it->file_size(error);
    }
  }
  return total;
}

std::string with_commas(std::int64_t value) {
  const std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

std::string fixed(double value, int decimals) {
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%.*f", decimals, value);
  return buffer.data();
}

std::string megabytes(std::uintmax_t bytes) {
  return fixed(static_cast<double>(bytes) / 1e6, 1) + " MB";
}

// ---- build

struct InsertStatements {
  Statement photo;
  Statement entry;
  Statement person_shown;
  Statement photo_tag;
  Statement credit;
  Statement fts;
};

// The static rows: licences, people, tags. Returns how many rows.
Result<std::int64_t> insert_reference_rows(sqlite3* db, const Corpus& corpus) {
  std::int64_t rows = 0;
  auto licence = prepare(db,
                         "INSERT INTO licences (id, usage_terms, editorial_only, credit_required, "
                         "valid_from, valid_until) VALUES (?1, ?2, 1, 1, ?3, ?4)");
  auto person = prepare(db, "INSERT INTO people (id, name, folded_name) VALUES (?1, ?2, ?3)");
  auto tag = prepare(db,
                     "INSERT INTO tags (id, parent_id, name, path, folded_path) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)");
  for (const auto* statement : {&licence, &person, &tag}) {
    if (!*statement) {
      return fail(statement->error());
    }
  }
  for (std::size_t i = 0; i < k_licences; ++i) {
    std::optional<std::string_view> from;
    std::optional<std::string_view> until;
    std::string terms(k_usage_terms);
    if (i >= 1 && i <= k_expiry_dates.size()) {
      until = k_expiry_dates.at(i - 1);
      terms += ", bis zum " + std::string(*until);
    } else if (i > k_expiry_dates.size()) {
      from = k_embargo_dates.at(i - 1 - k_expiry_dates.size());
      terms += ", Sperrfrist bis " + std::string(*from);
    }
    if (auto done = run(licence->get(), static_cast<std::int64_t>(i) + 1, terms, from, until);
        !done) {
      return fail(done.error());
    }
    ++rows;
  }
  for (std::size_t i = 0; i < corpus.names.size(); ++i) {
    const auto& name = corpus.names[i].full;
    if (auto done = run(person->get(), static_cast<std::int64_t>(i) + 1, name,
                        pressroom::fold_for_search(name));
        !done) {
      return fail(done.error());
    }
    ++rows;
  }
  for (const auto& row : corpus.tags) {
    if (auto done = run(tag->get(), row.id, row.parent_id, row.name, row.path, row.folded_path);
        !done) {
      return fail(done.error());
    }
    ++rows;
  }
  return rows;
}

struct BuildFigures {
  std::int64_t photos = 0;
  std::int64_t releases = 0;
  std::int64_t rows = 0;
  double generate_seconds = 0;  // making the synthetic rows: not the catalog's time
  double insert_seconds = 0;    // the catalog's rows, in one transaction, committed
  double fts_insert_seconds = 0;
  double fts_optimize_seconds = 0;
  double open_seconds = 0;
  double index_seconds = 0;
};

Result<void> insert_photos(const std::filesystem::path& directory, std::int64_t count,
                           BuildFigures& figures) {
  const Corpus corpus = make_corpus();
  const Layout layout(count);
  auto db = open_connection(directory / "catalog.sqlite", SQLITE_OPEN_READWRITE);
  auto fts = open_connection(directory / "fts5.sqlite", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db || !fts) {
    return fail(!db ? db.error() : fts.error());
  }
  // One transaction, a rollback journal instead of the WAL (which would hold a second copy of
  // the whole catalog until the checkpoint), and a cache that holds the indexes being built.
  // Catalog::open switches the file back to WAL.
  for (const auto& [connection, sql] :
       {std::pair{db->get(),
                  "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; "
                  "PRAGMA cache_size = -1000000; BEGIN"},
        std::pair{fts->get(),
                  "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
                  "PRAGMA cache_size = -500000; "
                  "CREATE VIRTUAL TABLE t USING fts5(text, "
                  "tokenize = 'unicode61 remove_diacritics 2'); BEGIN"}}) {
    if (auto done = execute(connection, sql); !done) {
      return done;
    }
  }
  const auto start = Clock::now();
  auto reference_rows = insert_reference_rows(db->get(), corpus);
  if (!reference_rows) {
    return fail(reference_rows.error());
  }
  std::int64_t rows = *reference_rows;

  auto release_row = prepare(db->get(),
                             "INSERT INTO releases (id, source, source_sha256, kind, date, "
                             "subtitle, contact_name, contact_email, contact_phone) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'presse@duesseldorf.de', "
                             "'0211 89-93131')");
  auto release_text = prepare(db->get(),
                              "INSERT INTO release_texts (release_id, language, title, body) "
                              "VALUES (?1, 'de', ?2, ?3)");
  auto photo_row = prepare(db->get(),
                           "INSERT INTO photos (id, sha256, type, byte_size, width, height, "
                           "orientation, date_taken, camera_make, camera_model, original_name, "
                           "imported_from, caption, credit_id, licence_id) VALUES (?1, ?2, "
                           "'jpeg', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  auto entry_row = prepare(db->get(),
                           "INSERT INTO entries (id, release_id, position, photo_id, caption, "
                           "credit, credit_rights_holder, credit_photographer, people, url) "
                           "VALUES (?1, ?2, ?3, ?1, ?4, ?5, ?6, ?7, ?8, ?9)");
  auto person_row = prepare(db->get(),
                            "INSERT INTO photo_people (photo_id, person_id, position) "
                            "VALUES (?1, ?2, ?3)");
  auto tag_row = prepare(db->get(), "INSERT INTO photo_tags (photo_id, tag_id) VALUES (?1, ?2)");
  auto credit_row = prepare(db->get(),
                            "INSERT INTO credits (id, photographer_id, rights_holder, "
                            "credit_line) VALUES (?1, ?2, ?3, ?4)");
  auto fts_row = prepare(fts->get(), "INSERT INTO t (rowid, text) VALUES (?1, ?2)");
  for (const auto* statement : {&release_row, &release_text, &photo_row, &entry_row, &person_row,
                                &tag_row, &credit_row, &fts_row}) {
    if (!*statement) {
      return fail(statement->error());
    }
  }

  std::map<std::pair<std::size_t, std::size_t>, std::int64_t> credits;
  // Time spent making the synthetic rows and FTS5's inserts, both taken out of the catalog's
  // insert time.
  Clock::duration generate_time{};
  Clock::duration fts_time{};
  for (std::int64_t r = 0; r < layout.releases; ++r) {
    auto generate_start = Clock::now();
    const Release release = make_release(corpus, layout, r);
    generate_time += Clock::now() - generate_start;
    const std::string source =
        "https://www.duesseldorf.de/medienportal/pressedienst-einzelansicht/pld/release-" +
        std::to_string(release.id) + ".html";
    const std::string contact = corpus.photographer(release.photographer).full;
    if (auto done = run(release_row->get(), release.id, source,
                        hex64(mix(k_seed_releases ^ static_cast<std::uint64_t>(r))),
                        release.is_news ? "news" : "release", iso_date(release.date),
                        release.subtitle, contact);
        !done) {
      return done;
    }
    if (auto done = run(release_text->get(), release.id, release.title, release.body); !done) {
      return done;
    }
    rows += 2;
    for (std::int64_t i = release.first_photo; i < release.first_photo + release.photo_count; ++i) {
      generate_start = Clock::now();
      const Photo photo = make_photo(corpus, release, i);
      const Name& photographer = corpus.photographer(photo.photographer);
      const std::string_view holder = k_rights_holders.at(photo.holder);
      const std::string line = pressroom::credit_line(holder, photographer.full);
      auto names = nlohmann::json::array();
      for (const auto person : photo.people) {
        names.push_back(corpus.person(person).full);
      }
      const std::string people = names.dump();
      const std::string text = searchable_text(corpus, release, photo);
      generate_time += Clock::now() - generate_start;
      auto [credit, is_new] = credits.try_emplace({photo.photographer, photo.holder},
                                                  static_cast<std::int64_t>(credits.size()) + 1);
      if (is_new) {
        if (auto done = run(credit_row->get(), credit->second,
                            Corpus::photographer_id(photo.photographer), holder, line);
            !done) {
          return done;
        }
        ++rows;
      }
      // Pointers for the NULLable columns: optionals built here make g++ 12 warn
      // (maybe-uninitialized) once they pass through run()'s parameter pack.
      const std::int64_t licence_id =
          release.licence ? static_cast<std::int64_t>(*release.licence) + 1 : 0;
      const std::int64_t* licence = release.licence ? &licence_id : nullptr;
      const std::string_view* make = photo.camera ? &photo.camera->make : nullptr;
      const std::string_view* model = photo.camera ? &photo.camera->model : nullptr;
      if (auto done =
              run(photo_row->get(), photo.id, photo.sha256, photo.byte_size, photo.width,
                  photo.height, photo.orientation, photo.date_taken, make, model,
                  photo.original_name, photo.imported_from, photo.caption, credit->second, licence);
          !done) {
        return done;
      }
      if (auto done = run(entry_row->get(), photo.id, release.id, photo.position, photo.caption,
                          line, holder, photographer.full, people, photo.imported_from);
          !done) {
        return done;
      }
      rows += 2;
      for (std::size_t p = 0; p < photo.people.size(); ++p) {
        if (auto done = run(person_row->get(), photo.id, Corpus::person_id(photo.people[p]),
                            static_cast<std::int64_t>(p) + 1);
            !done) {
          return done;
        }
        ++rows;
      }
      for (const auto tag : photo.tags) {
        if (auto done = run(tag_row->get(), photo.id, tag); !done) {
          return done;
        }
        ++rows;
      }
      const auto fts_start = Clock::now();
      if (auto done = run(fts_row->get(), photo.id, text); !done) {
        return done;
      }
      fts_time += Clock::now() - fts_start;
      if ((i + 1) % 100'000 == 0) {
        std::cerr << "  " << with_commas(i + 1) << " photos, " << fixed(seconds_since(start), 0)
                  << " s\n";
      }
    }
  }
  // The triggers listed every photo in search_pending. The index is built by
  // rebuild_search_index() below; left there, Catalog::open would index each photo first.
  if (auto done = execute(db->get(), "DELETE FROM search_pending; COMMIT"); !done) {
    return done;
  }
  const auto commit_start = Clock::now();
  if (auto done = execute(fts->get(), "COMMIT"); !done) {
    return done;
  }
  fts_time += Clock::now() - commit_start;
  figures.generate_seconds = std::chrono::duration<double>(generate_time).count();
  figures.fts_insert_seconds = std::chrono::duration<double>(fts_time).count();
  figures.insert_seconds =
      seconds_since(start) - figures.fts_insert_seconds - figures.generate_seconds;
  figures.rows = rows;
  figures.releases = layout.releases;
  figures.photos = count;
  // Merge FTS5's segments into one b-tree, FTS5's best case for queries.
  const auto optimize_start = Clock::now();
  if (auto done = execute(fts->get(), "INSERT INTO t (t) VALUES ('optimize')"); !done) {
    return done;
  }
  figures.fts_optimize_seconds = seconds_since(optimize_start);
  return {};
}

int run_build(const std::filesystem::path& directory, std::int64_t count) {
  const std::filesystem::path file = directory / "catalog.sqlite";
  std::error_code error;
  if (std::filesystem::exists(file, error) || std::filesystem::exists(directory / "fts5.sqlite")) {
    std::cerr << directory.string() << ": holds a catalog already; use an empty directory\n";
    return 2;
  }
  std::filesystem::create_directories(directory, error);
  const auto start = Clock::now();
  {
    auto created = catalog::Catalog::open(file, true);
    if (!created) {
      std::cerr << to_string(created.error()) << "\n";
      return 1;
    }
  }
  BuildFigures figures;
  if (auto inserted = insert_photos(directory, count, figures); !inserted) {
    std::cerr << to_string(inserted.error()) << "\n";
    return 1;
  }
  {
    const auto open_start = Clock::now();
    auto opened = catalog::Catalog::open(file, false);
    if (!opened) {
      std::cerr << to_string(opened.error()) << "\n";
      return 1;
    }
    figures.open_seconds = seconds_since(open_start);
    const auto index_start = Clock::now();
    if (auto rebuilt = opened->rebuild_search_index(); !rebuilt) {
      std::cerr << to_string(rebuilt.error()) << "\n";
      return 1;
    }
    figures.index_seconds = seconds_since(index_start);
  }
  const double wall = seconds_since(start);
  const double total = figures.insert_seconds + figures.open_seconds + figures.index_seconds;
  const auto catalog_bytes = bytes_of(file);
  const auto index_bytes = bytes_of(directory / "catalog.sqlite-search");
  const auto fts_bytes = bytes_of(directory / "fts5.sqlite");
  const auto photos_per_second = static_cast<double>(count) / figures.insert_seconds;
  const auto rows_per_second = static_cast<double>(figures.rows) / figures.insert_seconds;

  std::cout << "Built a catalog of " << with_commas(count) << " photos ("
            << with_commas(figures.releases) << " releases, " << with_commas(figures.rows)
            << " rows) in " << directory.string() << "\n"
            << "  SQLite insert (one transaction)  " << fixed(figures.insert_seconds, 1) << " s  "
            << with_commas(static_cast<std::int64_t>(photos_per_second)) << " photos/s  "
            << with_commas(static_cast<std::int64_t>(rows_per_second)) << " rows/s\n"
            << "  search index (Catalog::open " << fixed(figures.open_seconds, 2)
            << " s + rebuild_search_index)  " << fixed(figures.index_seconds, 1) << " s  "
            << with_commas(
                   static_cast<std::int64_t>(static_cast<double>(count) / figures.index_seconds))
            << " photos/s\n"
            << "  total build                      " << fixed(total, 1) << " s\n"
            << "  (making the synthetic rows       " << fixed(figures.generate_seconds, 1)
            << " s, not counted)\n"
            << "  catalog.sqlite                   " << megabytes(catalog_bytes) << "\n"
            << "  catalog.sqlite-search/           " << megabytes(index_bytes) << "\n"
            << "  FTS5 comparison table            insert " << fixed(figures.fts_insert_seconds, 1)
            << " s + optimize " << fixed(figures.fts_optimize_seconds, 1) << " s, fts5.sqlite "
            << megabytes(fts_bytes) << "\n"
            << "  wall time of this command        " << fixed(wall, 1) << " s\n";
  const nlohmann::json line{
      {"bench", "catalog_search_build"},
      {"photos", count},
      {"releases", figures.releases},
      {"rows", figures.rows},
      {"insert_s", figures.insert_seconds},
      {"insert_photos_per_s", photos_per_second},
      {"insert_rows_per_s", rows_per_second},
      {"open_s", figures.open_seconds},
      {"index_s", figures.index_seconds},
      {"total_s", total},
      {"generate_s", figures.generate_seconds},
      {"catalog_bytes", catalog_bytes},
      {"index_bytes", index_bytes},
      {"fts5_insert_s", figures.fts_insert_seconds},
      {"fts5_optimize_s", figures.fts_optimize_seconds},
      {"fts5_bytes", fts_bytes},
  };
  std::cout << line.dump() << "\n";
  return 0;
}

// ---- query

enum class Kind { word, all_of, prefix, phrase, any_of, filtered };
constexpr std::array<Kind, 6> k_kinds{Kind::word,   Kind::all_of, Kind::prefix,
                                      Kind::phrase, Kind::any_of, Kind::filtered};

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::word:
      return "word";
    case Kind::all_of:
      return "two words";
    case Kind::prefix:
      return "prefix";
    case Kind::phrase:
      return "phrase";
    case Kind::any_of:
      return "OR";
    case Kind::filtered:
      return "word+filter";
  }
  return "?";
}

constexpr std::array<std::string_view, 7> k_filters{
    "photographer", "tag", "person", "date", "orientation", "min_width", "licence",
};

struct BenchQuery {
  Kind kind = Kind::word;
  std::string filter;           // one of k_filters when kind is filtered
  catalog::SearchQuery search;  // pressroom's query: text and filter
  std::string fts;              // the text in FTS5's syntax
  std::string label;            // for the slowest queries' list
};

std::string fts_quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

// Frequency-weighted words, as people search: mostly caption nouns (so the frequent ones
// dominate), some place names, surnames and verbs.
class QueryWords {
 public:
  QueryWords(const Corpus& corpus, Random& random) : m_corpus(corpus), m_random(random) {}

  std::string word() {
    const double kind = m_random.unit();
    if (kind < 0.75) {
      return m_corpus.draw_noun(m_random).word;
    }
    if (kind < 0.85) {
      return place_word();
    }
    if (kind < 0.95) {
      return m_corpus.person(m_corpus.person_rank.draw(m_random)).last;
    }
    return std::string(m_corpus.draw_verb(m_random));
  }

 private:
  std::string place_word() {
    std::vector<std::string> names;
    for (const auto word : words_of(m_corpus.draw_place(m_random))) {
      std::size_t start = 0;
      while (start <= word.size()) {
        const std::size_t end = std::min(word.find('-', start), word.size());
        const auto part = word.substr(start, end - start);
        // Every photo is in Düsseldorf (its place tags say so): nobody searches for that.
        if (!part.empty() && part[0] >= 'A' && part[0] <= 'Z' && part != "Düsseldorf") {
          names.emplace_back(part);
        }
        start = end + 1;
      }
    }
    return names.empty() ? "Rathaus" : names[m_random.below(names.size())];
  }

  const Corpus& m_corpus;
  Random& m_random;
};

std::size_t code_points(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::string first_code_points(std::string_view text, std::size_t count) {
  std::size_t end = 0;
  std::size_t seen = 0;
  while (end < text.size()) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0U) != 0x80U) {
      if (seen == count) {
        break;
      }
      ++seen;
    }
    ++end;
  }
  return std::string(text.substr(0, end));
}

bool is_plain_word(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

// The words our sentences start with that are not nouns ("Nach dem", "Blick auf").
bool is_function_word(std::string_view word) {
  constexpr std::array<std::string_view, 18> k_function_words{
      "Der",  "Die", "Das", "Den", "Dem", "Des",     "Bei",   "Beim", "Mit",
      "Nach", "Vor", "Zum", "Zur", "Für", "Während", "Blick", "Rund", "Zu"};
  return std::find(k_function_words.begin(), k_function_words.end(), word) !=
         k_function_words.end();
}

// Two or three consecutive words of a stored caption, as someone quotes what they remember.
std::string phrase_from(std::string_view caption, Random& random) {
  const auto words = words_of(caption);
  for (int attempt = 0; attempt < 20; ++attempt) {
    const std::size_t length = 2 + random.below(2);
    if (words.size() < length) {
      break;
    }
    const std::size_t start = random.below(words.size() - length + 1);
    std::string phrase;
    bool plain = true;
    bool named = false;  // a noun or a name in it: nobody searches for "in der"
    for (std::size_t i = start; i < start + length && plain; ++i) {
      std::string_view word = words[i];
      if (i + 1 == start + length && (word.ends_with(',') || word.ends_with('.'))) {
        word.remove_suffix(1);
      }
      plain = is_plain_word(word);
      named = named || (capitalized(std::string(word)) == word && !is_function_word(word));
      phrase.append(phrase.empty() ? "" : " ").append(word);
    }
    if (plain && named) {
      return phrase;
    }
  }
  return "im Rathaus";
}

std::vector<BenchQuery> make_queries(const Corpus& corpus, const Layout& layout,
                                     std::size_t count) {
  Random random(k_seed_queries);
  QueryWords words(corpus, random);
  // 45% one word, 15% two words, 10% prefix, 10% phrase, 5% OR, 15% a word and a filter.
  const std::array<std::size_t, 6> shares{45, 15, 10, 10, 5, 15};
  std::vector<Kind> kinds;
  for (std::size_t k = 0; k < k_kinds.size(); ++k) {
    kinds.insert(kinds.end(), (count * shares.at(k) + 50) / 100, k_kinds.at(k));
  }
  kinds.resize(count, Kind::word);
  for (std::size_t i = kinds.size(); i > 1; --i) {
    std::swap(kinds[i - 1], kinds[random.below(i)]);
  }
  std::vector<BenchQuery> queries;
  for (const Kind kind : kinds) {
    BenchQuery query;
    query.kind = kind;
    switch (kind) {
      case Kind::word: {
        const std::string word = words.word();
        query.search.text = word;
        query.fts = fts_quoted(word);
        break;
      }
      case Kind::all_of:
      case Kind::any_of: {
        const std::string first = words.word();
        std::string second = words.word();
        while (second == first) {
          second = words.word();
        }
        const bool is_or = kind == Kind::any_of;
        const std::string_view operation = is_or ? " OR " : " ";
        query.search.text.append(first).append(operation).append(second);
        query.fts.append(fts_quoted(first)).append(operation).append(fts_quoted(second));
        break;
      }
      case Kind::prefix: {
        std::string word = words.word();
        while (code_points(word) < 6 || word.find('-') != std::string::npos) {
          word = words.word();
        }
        const std::string prefix = first_code_points(
            word, std::min<std::size_t>(4 + random.below(3), code_points(word) - 1));
        query.search.text = prefix + "*";
        query.fts = fts_quoted(prefix) + "*";
        break;
      }
      case Kind::phrase: {
        const auto photo_index =
            static_cast<std::int64_t>(random.below(static_cast<std::size_t>(layout.photos)));
        const Release release = make_release(corpus, layout, layout.release_of(photo_index));
        const std::string phrase =
            phrase_from(make_photo(corpus, release, photo_index).caption, random);
        query.search.text = "\"" + phrase + "\"";
        query.fts = fts_quoted(phrase);
        break;
      }
      case Kind::filtered: {
        const std::string word = words.word();
        query.search.text = word;
        query.fts = fts_quoted(word);
        query.filter = std::string(k_filters.at(random.below(k_filters.size())));
        auto& search = query.search;
        if (query.filter == "photographer") {
          search.photographer = corpus.photographer(corpus.photographer_rank.draw(random)).full;
        } else if (query.filter == "person") {
          search.person = corpus.person(corpus.person_rank.draw(random)).full;
        } else if (query.filter == "tag") {
          const double which = random.unit();
          if (which < 0.34) {
            const auto r =
                static_cast<std::int64_t>(random.below(static_cast<std::size_t>(layout.releases)));
            const Release release = make_release(corpus, layout, r);
            search.tag = corpus.tags
                             .at(static_cast<std::size_t>(corpus.event_tags.at(
                                     release.event * k_years +
                                     static_cast<std::size_t>(release.date.year - k_first_year))) -
                                 1)
                             .path;
          } else if (which < 0.67) {
            search.tag =
                "Ort|Düsseldorf|" + std::string(k_districts.at(corpus.district_rank.draw(random)));
          } else {
            const auto& leaf = corpus.tags.at(
                static_cast<std::size_t>(corpus.topic_tags.at(corpus.topic_rank.draw(random)) - 1));
            search.tag = random.chance(0.5) ? leaf.path : leaf.path.substr(0, leaf.path.rfind('|'));
          }
        } else if (query.filter == "date") {
          const int year = k_first_year + random.between(0, k_years - 1);
          if (random.chance(0.5)) {
            search.date_from = std::to_string(year) + "-01-01";
            search.date_to = std::to_string(year) + "-12-31";
          } else {
            const auto month = static_cast<unsigned>(random.between(1, 10));
            search.date_from = std::to_string(year) + "-" + two_digits(month) + "-01";
            search.date_to = std::to_string(year) + "-" + two_digits(month + 2) + "-28";
          }
        } else if (query.filter == "orientation") {
          search.orientation = catalog::Orientation::portrait;
        } else if (query.filter == "min_width") {
          search.min_width = 5000;
        } else {
          search.licence = catalog::LicenceFilter::usable;
        }
        break;
      }
    }
    query.search.order = catalog::SearchOrder::relevance;
    query.search.limit = 50;
    query.search.offset = 0;
    query.label = query.search.text;
    if (!query.filter.empty()) {
      query.label += " [" + query.filter + "]";
    }
    queries.push_back(std::move(query));
  }
  return queries;
}

struct Sample {
  double ms = 0;
  std::int64_t hits = 0;   // on the first page
  std::int64_t total = 0;  // matches in all (pressroom: its estimate)
};

struct Percentiles {
  std::size_t count = 0;
  double p50 = 0;
  double p90 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;
};

Percentiles percentiles(std::vector<double> values) {
  Percentiles out;
  out.count = values.size();
  if (values.empty()) {
    return out;
  }
  std::sort(values.begin(), values.end());
  const auto rank = [&](double p) {  // nearest rank
    const auto index = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(index, 1, values.size()) - 1];
  };
  out.p50 = rank(0.50);
  out.p90 = rank(0.90);
  out.p99 = rank(0.99);
  out.max = values.back();
  double sum = 0;
  for (const double value : values) {
    sum += value;
  }
  out.mean = sum / static_cast<double>(values.size());
  return out;
}

nlohmann::json to_json(const Percentiles& p) {
  return {{"n", p.count},    {"p50_ms", p.p50}, {"p90_ms", p.p90},
          {"p99_ms", p.p99}, {"max_ms", p.max}, {"mean_ms", p.mean}};
}

Result<Sample> search_pressroom(catalog::Catalog& catalog, const BenchQuery& query) {
  const auto start = Clock::now();
  auto page = catalog.search(query.search);
  const auto elapsed = Clock::now() - start;
  if (!page) {
    return fail(page.error());
  }
  return Sample{milliseconds(elapsed), static_cast<std::int64_t>(page->hits.size()), page->total};
}

Result<Sample> search_fts(sqlite3_stmt* ranked, const BenchQuery& query) {
  const auto start = Clock::now();
  std::int64_t hits = 0;
  int code = sqlite3_bind_text(ranked, 1, query.fts.data(), static_cast<int>(query.fts.size()),
                               SQLITE_STATIC);
  while (code == SQLITE_OK || code == SQLITE_ROW) {
    code = sqlite3_step(ranked);
    hits += code == SQLITE_ROW ? 1 : 0;
  }
  sqlite3_reset(ranked);
  const auto elapsed = Clock::now() - start;
  if (code != SQLITE_DONE) {
    return fail(sqlite_error(sqlite3_db_handle(ranked), "FTS5 query " + query.fts));
  }
  return Sample{milliseconds(elapsed), hits, 0};
}

Result<std::int64_t> count_fts(sqlite3_stmt* counter, std::string_view match) {
  sqlite3_bind_text(counter, 1, match.data(), static_cast<int>(match.size()), SQLITE_STATIC);
  const int code = sqlite3_step(counter);
  const std::int64_t count = code == SQLITE_ROW ? sqlite3_column_int64(counter, 0) : -1;
  sqlite3_reset(counter);
  if (code != SQLITE_ROW) {
    return fail(sqlite_error(sqlite3_db_handle(counter), "FTS5 count"));
  }
  return count;
}

// `text` padded with spaces to `width` characters (code points), on the left or the right.
std::string padded(std::string text, std::size_t width, bool left) {
  const std::size_t length = code_points(text);
  if (length < width) {
    text.insert(left ? text.begin() : text.end(), width - length, ' ');
  }
  return text;
}

std::string cell(double ms) {
  return padded(fixed(ms, ms < 10 ? 2 : ms < 1000 ? 1 : 0), 8, true);
}

// One line of the table: what, how many queries, their median matches, then p50 p90 p99 max
// on each engine.
std::string table_row(std::string_view label, std::size_t count, double matches,
                      const Percentiles& ours, const Percentiles& theirs) {
  std::string out = padded(std::string(label), 24, false) + padded(std::to_string(count), 5, true) +
                    padded(with_commas(static_cast<std::int64_t>(matches)), 10, true) + " |";
  for (const auto* p : {&ours, &theirs}) {
    out += cell(p->p50) + cell(p->p90) + cell(p->p99) + cell(p->max) + " |";
  }
  return out;
}

// The median of `runs` runs of `search`.
template <class Search>
Result<double> median_ms(int runs, Search&& search) {
  std::vector<double> values;
  for (int i = 0; i < runs; ++i) {
    auto sample = search();
    if (!sample) {
      return fail(sample.error());
    }
    values.push_back(sample->ms);
  }
  return percentiles(values).p50;
}

int run_query(const std::filesystem::path& directory, std::size_t query_count) {
  auto opened = catalog::Catalog::open(directory / "catalog.sqlite", false);
  if (!opened) {
    std::cerr << to_string(opened.error()) << "\n";
    return 1;
  }
  catalog::Catalog& catalog = *opened;
  auto fts = open_connection(directory / "fts5.sqlite", SQLITE_OPEN_READONLY);
  if (!fts) {
    std::cerr << to_string(fts.error()) << "\n";
    return 1;
  }
  auto ranked = prepare(fts->get(), "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rank LIMIT 50");
  auto counter = prepare(fts->get(), "SELECT count(*) FROM t WHERE t MATCH ?1");
  auto photos = catalog.photo_count();
  if (!ranked || !counter || !photos) {
    std::cerr << to_string(!ranked    ? ranked.error()
                           : !counter ? counter.error()
                                      : photos.error())
              << "\n";
    return 1;
  }
  const Corpus corpus = make_corpus();
  const Layout layout(*photos);
  const auto queries = make_queries(corpus, layout, query_count);

  // Warm-up: every query once on each engine, untimed, so that both read from the page cache.
  for (const auto& query : queries) {
    auto ours = search_pressroom(catalog, query);
    auto theirs = search_fts(ranked->get(), query);
    if (!ours || !theirs) {
      std::cerr << query.label << ": " << to_string(!ours ? ours.error() : theirs.error()) << "\n";
      return 1;
    }
  }
  std::vector<Sample> ours;
  std::vector<Sample> theirs;
  for (const auto& query : queries) {
    auto sample = search_pressroom(catalog, query);
    if (!sample) {
      std::cerr << to_string(sample.error()) << "\n";
      return 1;
    }
    ours.push_back(*sample);
  }
  for (const auto& query : queries) {
    auto sample = search_fts(ranked->get(), query);
    if (!sample) {
      std::cerr << to_string(sample.error()) << "\n";
      return 1;
    }
    theirs.push_back(*sample);
  }
  // Untimed: how many photos each text part matches, which is what FTS5 must rank.
  for (std::size_t i = 0; i < queries.size(); ++i) {
    auto count = count_fts(counter->get(), queries[i].fts);
    if (!count) {
      std::cerr << to_string(count.error()) << "\n";
      return 1;
    }
    theirs[i].total = *count;
  }
  // What Catalog::search spends before it searches: it brings the index up to date first.
  constexpr int k_update_calls = 1000;
  const auto update_start = Clock::now();
  for (int i = 0; i < k_update_calls; ++i) {
    if (auto updated = catalog.update_search_index(); !updated) {
      std::cerr << to_string(updated.error()) << "\n";
      return 1;
    }
  }
  const double update_ms = milliseconds(Clock::now() - update_start) / k_update_calls;

  std::cout << "Catalog search: " << with_commas(*photos) << " photos, " << queries.size()
            << " queries, ranked by relevance, first page of 50. Milliseconds per query.\n"
            << "FTS5 runs the text part only: filters are not applied on its side.\n\n"
            << padded("", 40, false) << "|  pressroom (Xapian)                |"
            << "  FTS5 bm25                         |\n"
            << "kind                        n   matches |     p50     p90     p99     max |"
            << "     p50     p90     p99     max |\n";
  struct Group {
    std::string label;
    std::function<bool(const BenchQuery&)> keep;
  };
  std::vector<Group> groups{{"all", [](const BenchQuery&) { return true; }}};
  for (const Kind kind : k_kinds) {
    groups.push_back({kind_name(kind), [kind](const BenchQuery& q) { return q.kind == kind; }});
  }
  for (const auto filter : k_filters) {
    groups.push_back(
        {"  " + std::string(filter), [filter](const BenchQuery& q) { return q.filter == filter; }});
  }
  nlohmann::json kinds = nlohmann::json::array();
  Percentiles overall_ours;
  Percentiles overall_theirs;
  for (const auto& group : groups) {
    std::vector<double> mine;
    std::vector<double> other;
    std::vector<double> matched;
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (group.keep(queries[i])) {
        mine.push_back(ours[i].ms);
        other.push_back(theirs[i].ms);
        matched.push_back(static_cast<double>(theirs[i].total));
      }
    }
    if (mine.empty()) {
      continue;
    }
    const auto p_ours = percentiles(mine);
    const auto p_theirs = percentiles(other);
    const auto p_matched = percentiles(matched);
    if (group.label == "all") {
      overall_ours = p_ours;
      overall_theirs = p_theirs;
    }
    std::cout << table_row(group.label, mine.size(), p_matched.p50, p_ours, p_theirs) << "\n";
    std::string key = group.label;
    if (key.starts_with(' ')) {
      key = "word+filter:" + key.substr(key.find_first_not_of(' '));
    }
    kinds.push_back({{"kind", key},
                     {"queries", mine.size()},
                     {"median_matches", p_matched.p50},
                     {"mean_matches", p_matched.mean},
                     {"pressroom", to_json(p_ours)},
                     {"fts5", to_json(p_theirs)}});
  }
  std::cout << "(matches: the median number of photos the text part matches, by FTS5 count)\n";

  // The frequent words, each in about a fifth of all photos, and "Düsseldorf", in every one
  // (every place tag and most credits name it): timed alone, median of 5 runs.
  std::cout << "\n"
            << padded("frequent words", 20, false)
            << padded("photos matched (pressroom / FTS5)", 34, true)
            << padded("pressroom ms", 14, true) << padded("FTS5 ms", 12, true) << "\n";
  nlohmann::json frequent = nlohmann::json::array();
  std::vector<std::string> probe;
  for (std::size_t i = 0; i < 8; ++i) {
    probe.push_back(corpus.nouns[i].word);
  }
  probe.emplace_back("Düsseldorf");
  for (const auto& word : probe) {
    BenchQuery query;
    query.search.text = word;
    query.fts = fts_quoted(word);
    auto page = catalog.search(query.search);
    auto count = count_fts(counter->get(), query.fts);
    auto our_ms = median_ms(5, [&] { return search_pressroom(catalog, query); });
    auto their_ms = median_ms(5, [&] { return search_fts(ranked->get(), query); });
    if (!page || !count || !our_ms || !their_ms) {
      std::cerr << word << ": the frequent-word probe failed\n";
      return 1;
    }
    const double share = static_cast<double>(*count) / static_cast<double>(*photos);
    std::cout << "  " << padded(word, 18, false)
              << padded(with_commas(page->total) + (page->total_exact ? "" : "~") + " / " +
                            with_commas(*count) + " (" + fixed(100 * share, 1) + "%)",
                        34, true)
              << padded(cell(*our_ms), 14, true) << padded(cell(*their_ms), 12, true) << "\n";
    frequent.push_back({{"word", word},
                        {"pressroom_total", page->total},
                        {"fts5_count", *count},
                        {"share", share},
                        {"pressroom_ms", *our_ms},
                        {"fts5_ms", *their_ms}});
  }

  const auto slowest = [&](const std::vector<Sample>& samples, const char* engine) {
    std::vector<std::size_t> order(samples.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return samples[a].ms > samples[b].ms; });
    std::cout << "\nslowest on " << engine << " (ms, photos the text matches, query):\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(8, order.size()); ++i) {
      const std::size_t q = order[i];
      std::cout << "  " << cell(samples[q].ms) << padded(with_commas(theirs[q].total), 11, true)
                << "  " << queries[q].label << "\n";
    }
  };
  slowest(ours, "pressroom");
  slowest(theirs, "FTS5");
  std::cout << "\nCatalog::search brings the index up to date before each search; with nothing "
               "pending that costs "
            << fixed(update_ms, 3) << " ms\n";
  const bool goal_met = overall_ours.p50 < 5 && overall_ours.p99 < 50;
  std::cout << "\nFTS5 / pressroom: p50 " << fixed(overall_theirs.p50 / overall_ours.p50, 1)
            << "x, p99 " << fixed(overall_theirs.p99 / overall_ours.p99, 1)
            << "x. Goal for pressroom (p50 < 5 ms, p99 < 50 ms): " << (goal_met ? "met" : "missed")
            << "\n";
  const nlohmann::json line{
      {"bench", "catalog_search_query"},
      {"photos", *photos},
      {"queries", queries.size()},
      {"kinds", kinds},
      {"frequent_words", frequent},
      {"update_check_ms", update_ms},
      {"goal_met", goal_met},
  };
  std::cout << line.dump() << "\n";
  return 0;
}

template <class T>
std::optional<T> number(std::string_view text) {
  T value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
    return std::nullopt;
  }
  return value;
}

// The queries `query` runs on the catalog in `directory`, for looking into single ones.
// The catalog in `directory` and the queries `query` runs on it; nullopt after an error.
std::optional<std::pair<catalog::Catalog, std::vector<BenchQuery>>> open_with_queries(
    const std::filesystem::path& directory, std::size_t query_count) {
  auto opened = catalog::Catalog::open(directory / "catalog.sqlite", false);
  if (!opened) {
    std::cerr << to_string(opened.error()) << "\n";
    return std::nullopt;
  }
  auto photos = opened->photo_count();
  if (!photos) {
    std::cerr << to_string(photos.error()) << "\n";
    return std::nullopt;
  }
  auto queries = make_queries(make_corpus(), Layout(*photos), query_count);
  return std::make_pair(std::move(*opened), std::move(queries));
}

int run_list(const std::filesystem::path& directory, std::size_t query_count) {
  auto opened = open_with_queries(directory, query_count);
  if (!opened) {
    return 1;
  }
  for (const auto& query : opened->second) {
    const auto& search = query.search;
    const nlohmann::json line{
        {"kind", kind_name(query.kind)},
        {"filter", query.filter},
        {"text", search.text},
        {"fts5", query.fts},
        {"photographer", search.photographer},
        {"person", search.person},
        {"tag", search.tag},
        {"date_from", search.date_from},
        {"date_to", search.date_to},
        {"portrait", search.orientation == catalog::Orientation::portrait},
        {"min_width", search.min_width},
        {"usable", search.licence == catalog::LicenceFilter::usable},
    };
    std::cout << line.dump() << "\n";
  }
  return 0;
}

int usage() {
  std::cerr << "usage: pressroom_catalog_search_bench build DIR N\n"
               "       pressroom_catalog_search_bench query DIR [QUERIES=1000]\n"
               "       pressroom_catalog_search_bench list DIR [QUERIES=1000]\n"
               "       pressroom_catalog_search_bench pages DIR [QUERIES=1000]\n";
  return 2;
}

int run_pages(const std::filesystem::path& directory, std::size_t query_count) {
  auto opened = open_with_queries(directory, query_count);
  if (!opened) {
    return 1;
  }
  for (const auto& query : opened->second) {
    auto page = opened->first.search(query.search);
    if (!page) {
      std::cerr << query.label << ": " << to_string(page.error()) << "\n";
      return 1;
    }
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& hit : page->hits) {
      ids.push_back(hit.photo_id);
    }
    std::cout << ids.dump() << "\n";
  }
  return 0;
}

int run_main(std::span<char*> args) {
  if (args.size() < 3) {
    return usage();
  }
  const std::string_view command = args[1];
  const std::filesystem::path directory = args[2];
  if (command == "build" && args.size() == 4) {
    const auto count = number<std::int64_t>(args[3]);
    return count ? run_build(directory, *count) : usage();
  }
  if ((command == "query" || command == "list" || command == "pages") && args.size() <= 4) {
    const auto count =
        args.size() == 4 ? number<std::size_t>(args[3]) : std::optional<std::size_t>(1000);
    if (!count) {
      return usage();
    }
    if (command == "pages") {
      return run_pages(directory, *count);
    }
    return command == "query" ? run_query(directory, *count) : run_list(directory, *count);
  }
  return usage();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(std::span<char*>(argv, static_cast<std::size_t>(argc)));
  } catch (const std::exception& error) {
    std::cerr << "pressroom_catalog_search_bench: " << error.what() << "\n";
    return 1;
  }
}
