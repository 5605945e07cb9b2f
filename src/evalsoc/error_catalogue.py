"""The wordings of the errors users see (framework, data, command line), FR and EN.

Data, not logic: merged at the end of `problems.CATALOGUE` (code → title, French, English),
so errors, warnings and "not estimable" reasons share one catalogue and one test of their
placeholders. Parameters are formatted as given: callers quote names (`repr`); `{excerpt}` is
the framework's lines around the error, `{detail}` another tool's own (English) text.

Why one module: it is data, not logic — the wordings of every error in both languages, grouped
by area (framework file, keys, data, sections, engines, commands, output folder, validators),
so that a code is worded once and docs/errors.md is generated from one place. It is apart from
problems.py (warnings and "not estimable" reasons) only so that each stays readable and the
two blocks merge without conflict.
"""

from __future__ import annotations

ERRORS: dict[str, tuple[str, str, str]] = {
    # --- reading the framework file ------------------------------------------------------------
    "file_not_found": (
        "file not found",
        "{what} introuvable : {path}",
        "{what} not found: {path}",
    ),
    "file_unreadable": (
        "file unreadable",
        "impossible de lire le {what} {path} : {detail}",
        "cannot read {what} {path}: {detail}",
    ),
    "file_not_regular": (
        "not a file",
        "le {what} est {kind} ; donnez le chemin d'un fichier",
        "the {what} is {kind}; give the path of a file",
    ),
    "file_too_large": (
        "file too large",
        "le {what} fait {size} octets, plus que la limite de {limit} ; si c'est le bon "
        "fichier, relevez la limite avec {variable} (par exemple {variable}=16G, ou 0 pour "
        "aucune limite)",
        "the {what} holds {size} bytes, more than the limit of {limit}; if this is the right "
        "file, raise the limit with {variable} (for example {variable}=16G, or 0 for no limit)",
    ),
    "size_limit_invalid": (
        "size limit unreadable",
        "{variable}={given} n'est pas une taille ; écrivez par exemple 8G, 500M ou 0 (aucune "
        "limite)",
        "{variable}={given} is not a size; write for example 8G, 500M or 0 (no limit)",
    ),
    "framework_nested_too_deep_at": (
        "framework nested too deep",
        "le cadre est imbriqué sur plus de {depth} niveaux ; aucune clé du cadre n'en demande "
        "autant : vérifiez les crochets et l'indentation{excerpt}",
        "the framework is nested more than {depth} levels deep; no framework key needs that "
        "many: check the brackets and the indentation{excerpt}",
    ),
    "framework_nested_too_deep": (
        "framework nested too deep",
        "le cadre est imbriqué sur plus de {depth} niveaux ; aucune clé du cadre n'en demande "
        "autant : vérifiez les crochets{excerpt}",
        "the framework is nested more than {depth} levels deep; no framework key needs that "
        "many: check the brackets{excerpt}",
    ),
    "framework_nested_too_deeply": (
        "framework nested too deep",
        "le cadre est imbriqué trop profondément (plus de {depth} niveaux)",
        "the framework is nested too deeply (more than {depth} levels)",
    ),
    "framework_lone_surrogate": (
        "half a Unicode character",
        "le texte contient l'échappement d'une moitié de caractère Unicode (un surrogate "
        "isolé comme \\ud800), qu'aucun fichier ne peut stocker ; écrivez le caractère "
        "lui-même{excerpt}",
        "the text holds an escape of half a Unicode character (a lone surrogate such as "
        "\\ud800), which no file can store; write the character itself{excerpt}",
    ),
    "framework_duplicate_key": (
        "key given twice",
        "la clé {key} apparaît deux fois (la première à la ligne {first_line}) ; YAML n'en "
        "garde qu'une, supprimez l'autre{excerpt}",
        "key {key} appears twice (first at line {first_line}); YAML keeps only one, so remove "
        "the other{excerpt}",
    ),
    "framework_not_utf8": (
        "framework not UTF-8",
        "le fichier du cadre doit être enregistré en UTF-8 (l'octet {byte} à la ligne {line} "
        "n'est pas de l'UTF-8)",
        "the framework file must be saved as UTF-8 (byte {byte} at line {line} is not UTF-8)",
    ),
    "framework_aliases_too_large": (
        "framework too large",
        "le cadre est trop grand une fois ses alias YAML (*nom) développés (plus de {limit} "
        "valeurs) ; écrivez les parties répétées en entier",
        "the framework is too large once its YAML aliases (*name) are expanded (more than "
        "{limit} values); write the repeated parts out",
    ),
    "framework_yaml_syntax": (
        "YAML syntax error",
        "erreur de syntaxe YAML (détail en anglais : {detail}){excerpt}",
        "YAML syntax error: {detail}{excerpt}",
    ),
    "framework_control_character": (
        "control character",
        "le fichier contient le caractère de contrôle {character}, qu'un fichier de cadre ne "
        "peut pas contenir ; supprimez-le{excerpt}",
        "the file holds the control character {character}, which a framework file cannot "
        "contain; remove it{excerpt}",
    ),
    "framework_yaml_error": (
        "YAML error",
        "erreur YAML (détail en anglais : {detail})",
        "YAML error: {detail}",
    ),
    "framework_yaml_value": (
        "YAML value error",
        "valeur YAML refusée (détail en anglais : {detail})",
        "YAML value error: {detail}",
    ),
    "framework_empty": (
        "framework empty",
        "le fichier du cadre est vide",
        "the framework file is empty",
    ),
    "framework_not_mapping": (
        "framework not a mapping",
        "le cadre doit être un ensemble de clés (evalsoc, id, title, ...)",
        "the framework must be a mapping of keys (evalsoc, id, title, ...)",
    ),
    "framework_format_version": (
        "unknown framework format",
        "cette version d'evalsoc lit le format 1, le fichier déclare {given} ; écrivez "
        "`evalsoc: 1`",
        "this version of evalsoc reads format 1, the file declares {given}; write `evalsoc: 1`",
    ),
    "framework_problems": (
        "framework problems",
        "le cadre a {count} problème(s) :",
        "the framework has {count} problem(s):",
    ),
    # --- a key of the framework (pydantic's error types) ---------------------------------------
    "key_unknown": (
        "unknown key",
        "clé inconnue {key}",
        "unknown key {key}",
    ),
    "key_unknown_near": (
        "unknown key",
        "clé inconnue {key} ; vouliez-vous dire {near} ?",
        "unknown key {key}; did you mean {near}?",
    ),
    "key_unknown_allowed": (
        "unknown key",
        "clé inconnue {key} (clés permises ici : {allowed})",
        "unknown key {key} (allowed here: {allowed})",
    ),
    "key_missing": (
        "missing key",
        "clé obligatoire absente : {key}",
        "missing required key {key}",
    ),
    "value_not_expected": (
        "value not allowed",
        "attendu {expected}, reçu {given}",
        "expected {expected}, got {given}",
    ),
    "id_invalid": (
        "invalid id",
        "un identifiant est fait de lettres, de chiffres, de '_', '.' et '-' (sans espace) et "
        "commence par une lettre ou un chiffre ; reçu {given}",
        "an id is made of letters, digits, '_', '.' and '-' (no space), starting with a letter "
        "or digit; got {given}",
    ),
    "value_refused": (
        "value refused",
        "valeur refusée (détail en anglais : {detail})",
        "{detail}",
    ),
    "value_wrong_type_given": (
        "wrong type",
        "type de valeur incorrect, reçu {given} (détail en anglais : {detail})",
        "{detail} (got {given})",
    ),
    "value_wrong_type": (
        "wrong type",
        "type de valeur incorrect (détail en anglais : {detail})",
        "{detail}",
    ),
    # --- reading the data ----------------------------------------------------------------------
    "data_file_not_found": (
        "data file not found",
        "fichier de données introuvable : {path} (les chemins partent du dossier du cadre)",
        "data file not found: {path} (paths are relative to the framework file)",
    ),
    "data_file_type_unknown": (
        "unknown file type",
        "type de fichier inconnu {suffix} ; donnez `format:` parmi csv, xlsx, parquet, ods, "
        "spss, stata, sas, xport, kobo, odk ou limesurvey",
        "unknown file type {suffix}; set `format:` to csv, xlsx, parquet, ods, spss, stata, "
        "sas, xport, kobo, odk or limesurvey",
    ),
    "data_file_unreadable": (
        "data file unreadable",
        "impossible de lire le fichier comme {format} (détail en anglais : {detail})",
        "cannot read {format}: {detail}",
    ),
    "data_file_empty": (
        "data file empty",
        "le fichier est vide (ni ligne d'en-tête, ni données)",
        "the file is empty (no header line, no data)",
    ),
    "csv_unclosed_quote": (
        "unclosed quote",
        "un guillemet (\") ouvre une cellule à la ligne {line} et n'est jamais fermé : toutes "
        "les lignes suivantes seraient lues dans cette cellule ; fermez le guillemet ou "
        "supprimez-le",
        'a quote (") opens a cell on line {line} and is never closed, so every following line '
        "would be read into that one cell; close the quote or remove it",
    ),
    "csv_encoding_unknown": (
        "unknown encoding",
        "encodage inconnu {encoding}",
        "unknown encoding {encoding}",
    ),
    "csv_not_text": (
        "not text",
        "le fichier ne se lit pas comme du texte {encoding} ({detail}) ; si c'est un CSV, "
        "enregistrez-le en UTF-8 ou donnez son encodage dans `encoding:`",
        "the file cannot be read as {encoding} text ({detail}); if it is a CSV, save it as "
        "UTF-8 or set `encoding:` to its encoding",
    ),
    "csv_field_count": (
        "wrong number of fields",
        "une ligne a {found} champs quand l'en-tête en a {expected} (séparateur {delimiter}) ; "
        "vérifiez les guillemets ou donnez `delimiter:` explicitement",
        "a line has {found} fields where the header has {expected} (delimiter {delimiter}); "
        "check the quoting or set `delimiter:` explicitly",
    ),
    "csv_unreadable": (
        "CSV unreadable",
        "impossible de lire le fichier comme CSV (détail en anglais : {detail})",
        "cannot read as CSV: {detail}",
    ),
    "csv_header_repeats": (
        "repeated column name",
        "l'en-tête répète le(s) nom(s) de colonne {columns}",
        "the header repeats column name(s) {columns}",
    ),
    "data_columns_not_found": (
        "columns not found",
        "source de données {source} ({path}) : colonne(s) déclarée(s) ou clé(s) absente(s) du "
        "fichier : {columns}. Le fichier a : {found}",
        "data source {source} ({path}): declared or key column(s) not found in the file: "
        "{columns}. The file has: {found}",
    ),
    "data_schema_error": (
        "data check failed",
        "la vérification des données a échoué (détail en anglais : {detail})",
        "{detail}",
    ),
    "data_sources_cycle": (
        "sources in a cycle",
        "les sources de données se construisent l'une l'autre en cycle : {path}",
        "data sources build each other in a cycle: {path}",
    ),
    "data_source_reads_undeclared": (
        "undeclared source",
        "la source de données {source} lit {other}, qui n'est pas déclarée (sources : {known})",
        "data source {source} reads {other}, which is not declared (sources: {known})",
    ),
    "where_invalid": (
        "invalid where",
        "expression `where` invalide : {detail}",
        "{detail}",
    ),
    # --- sections: framework keys that the data or earlier results contradict -----------------
    "qualitative_needs_data": (
        "no data",
        "indicateur {indicator} : un indicateur {kind} a besoin de `data` (la table des {table})",
        "indicator {indicator}: a {kind} indicator needs `data` (the table of {table})",
    ),
    "indicator_column_missing": (
        "column not found",
        "indicateur {indicator} : pas de colonne {column} dans la source de données {source}{hint}",
        "indicator {indicator}: no column {column} in data source {source}{hint}",
    ),
    "sroi_quantity_unknown_ref": (
        "unknown reference",
        "la quantité renvoie à {kind} {ref}, que le cadre ne déclare pas{hint}",
        "the quantity refers to {kind} {ref}, which the framework does not declare{hint}",
    ),
    "sroi_input_no_volunteering": (
        "no volunteering section",
        "cette ressource renvoie à la section bénévolat, mais le cadre n'a pas de section "
        "`volunteering:` : déclarez-en une, ou donnez ici les heures (`hours`) et un taux "
        "(`rate`)",
        "this input refers to the volunteering section, but the framework has no "
        "`volunteering:` section: declare one, or give the volunteer `hours` and a `rate` here",
    ),
    "sroi_volunteering_category_unknown": (
        "unknown volunteering category",
        "la catégorie de bénévolat {category} n'est pas dans la section bénévolat{hint}",
        "volunteering category {category} is not in the volunteering section{hint}",
    ),
    "costs_need_resources": (
        "no resources",
        "`resources: {basis}` a besoin d'une section resources avec des montants {basis}{year}",
        "`resources: {basis}` needs a resources section with {basis} amounts{year}",
    ),
    "cost_ratio_unknown_indicator": (
        "unknown indicator",
        "ratio de coût {ratio} : indicateur inconnu {indicator}",
        "cost ratio {ratio}: unknown indicator {indicator}",
    ),
    "cost_ratio_not_count": (
        "not a count",
        "ratio de coût {ratio} : l'indicateur {indicator} est de type {kind} ; un coût se "
        "divise par un effectif (type count) ou par l'effectif d'une proportion",
        "cost ratio {ratio}: indicator {indicator} is a {kind}; a cost is divided by a count "
        "(kind count) or by the count of a proportion",
    ),
    "cost_ratio_unknown_effect": (
        "unknown effect",
        "ratio de coût {ratio} : effet inconnu {effect}",
        "cost ratio {ratio}: unknown effect {effect}",
    ),
    "valuation_column_missing": (
        "column not found",
        "la source de données {source} n'a pas de colonne {column}",
        "data source {source} has no column {column}",
    ),
    "valuation_role_undeclared": (
        "undeclared role",
        "source de données {source} : le rôle {role} n'est pas déclaré dans `roles` ({roles})",
        "data source {source}: role {role} is not declared in `roles` ({roles})",
    ),
    "valuation_role_empty": (
        "role without respondent",
        "source de données {source} : aucun répondant n'a le rôle {role}",
        "data source {source}: no respondent has the role {role}",
    ),
    "valuation_item_unknown": (
        "unknown item",
        "source de données {source} : {item} n'est pas un des {items} ({known})",
        "data source {source}: {item} is not one of the {items} ({known})",
    ),
    "valuation_two_roles": (
        "respondent with two roles",
        "source de données {source} : le répondant {respondent} a deux rôles",
        "data source {source}: respondent {respondent} has two roles",
    ),
    "valuation_no_value": (
        "no value",
        "source de données {source} : le répondant {respondent} ne donne pas de valeur pour {item}",
        "data source {source}: respondent {respondent} gives no value for {item}",
    ),
    "valuation_ranked_twice": (
        "ranked twice",
        "source de données {source} : le répondant {respondent} classe {item} deux fois",
        "data source {source}: respondent {respondent} ranks {item} twice",
    ),
    "valuation_ranks_invalid": (
        "ranks invalid",
        "source de données {source} : répondant {respondent} : les rangs vont de 1 à {count}, "
        "chacun une fois, un par {item} ; trouvé {found}",
        "data source {source}: respondent {respondent}: the ranks must be 1 to {count}, each "
        "once, one per {item}; found {found}",
    ),
    "valuation_not_every_item": (
        "not every item rated",
        "source de données {source} : le répondant {respondent} ne note pas tous les éléments",
        "data source {source}: respondent {respondent} does not rate every item",
    ),
    "valuation_no_items": (
        "nothing to value",
        "il n'y a pas de {items} à valoriser",
        "there are no {items} to value",
    ),
    "elicited_weights_need_valuation": (
        "no valuation block",
        "`weights: elicited` a besoin d'un bloc `valuation:` dont les `items` sont les critères",
        "`weights: elicited` needs a `valuation:` block whose `items` are the criteria",
    ),
    "volunteering_not_boolean": (
        "not a yes/no value",
        "la colonne {column} de la source {source} contient {value}, qui n'est pas une valeur "
        "oui/non ; déclarez-la `type: boolean`",
        "column {column} of source {source} holds {value}, not a yes/no value; declare it "
        "`type: boolean`",
    ),
    "volunteering_dates_need_period": (
        "no period",
        "`since`/`left` ont besoin de la période du cadre (`period`, début et fin)",
        "`since`/`left` need the framework's `period` (start and end)",
    ),
    "source_column_missing": (
        "column not found",
        "pas de colonne {column} dans la source de données {source}{hint}",
        "no column {column} in data source {source}{hint}",
    ),
    "draws_exceed_memory": (
        "not enough memory",
        "{draws} tirages demanderaient {needed} Gio de mémoire, plus de la moitié des "
        "{available} Gio disponibles sur cette machine ; réduisez-les (au plus environ {fitting} "
        "ici) ou lancez le calcul sur une machine plus grande",
        "{draws} draws would need {needed} GiB of memory, more than half of the {available} GiB "
        "available on this machine; lower it (at most about {fitting} here) or run on a larger "
        "machine",
    ),
    "resources_need_year": (
        "no year",
        "donnez `year` (l'année des montants) ou la période du cadre (`period`)",
        "give `year` (the year of the amounts) or the framework's `period`",
    ),
    "resources_actual_from_volunteering": (
        "amount given twice",
        "la ligne {line} reprend son montant réalisé {year} de la section bénévolat ; retirez "
        "{year} de son `actual`",
        "line {line} takes its {year} actual amount from the volunteering section; remove "
        "{year} from its `actual`",
    ),
    "resources_no_amount_column": (
        "no amount column",
        "`columns` ne nomme ni `forecast` ni `actual` : nommez la ou les colonnes de la source "
        "{source} qui portent les montants",
        "`columns` names neither `forecast` nor `actual`: name the column(s) of source {source} "
        "holding the amounts",
    ),
    "resources_line_id_empty": (
        "empty line id",
        "l'identifiant de ligne ({column}) est vide",
        "the line id ({column}) is empty",
    ),
    "resources_funder_undeclared": (
        "undeclared funder",
        "ligne {line} : le financeur {funder} n'est pas dans la liste `funders` ({funders}) ; "
        "déclarez-le sous resources.funders",
        "line {line}: funder {funder} is not in the `funders` list ({funders}); declare it "
        "under resources.funders",
    ),
    "resources_year_invalid": (
        "not a whole year",
        "l'année ({column}) n'est pas une année entière",
        "the year ({column}) is not a whole year",
    ),
    "resources_line_changes": (
        "line changes",
        "la ligne {line} change de nature, de type ou de financeur d'une ligne de données à "
        "l'autre ; donnez à chacune son propre identifiant",
        "line {line} changes its nature, kind or funder from one row to another; give each a "
        "line id of its own",
    ),
    "resources_line_twice": (
        "line twice",
        "la ligne {line} apparaît deux fois pour {year}",
        "line {line} appears twice for {year}",
    ),
    "resources_amount_not_number": (
        "amount not a number",
        "le montant {basis} ({column}) {value} n'est pas un nombre",
        "the {basis} amount ({column}) {value} is not a number",
    ),
    "resources_amount_negative": (
        "amount negative or infinite",
        "le montant {basis} ({column}) vaut {value} ; les montants sont finis et jamais négatifs",
        "the {basis} amount ({column}) is {value}; amounts are finite and never negative",
    ),
    "resources_line_declared_twice": (
        "line declared twice",
        "ligne(s) {lines} déclarée(s) dans le cadre et dans la source {source} ; gardez-en une",
        "line(s) {lines} declared inline and in source {source}; keep one",
    ),
    "source_unknown": (
        "unknown data source",
        "source de données inconnue {source}{hint}",
        "unknown data source {source}{hint}",
    ),
    # --- engines and output formats ------------------------------------------------------------
    "spark_needs_java": (
        "Java missing",
        "le moteur spark a besoin de Java 17 ou plus récent pour lancer Spark sur cette "
        "machine : installez-le (Debian/Ubuntu : apt-get install default-jre-headless) ou "
        "donnez JAVA_HOME vers une installation de Java ; ou donnez un serveur Spark Connect "
        "avec SPARK_REMOTE{detail}",
        "the spark engine needs Java 17 or later to run Spark on this machine: install it "
        "(Debian/Ubuntu: apt-get install default-jre-headless) or set JAVA_HOME to a Java "
        "installation; or give a Spark Connect server with SPARK_REMOTE{detail}",
    ),
    "engine_memory_unreadable": (
        "memory limit unreadable",
        "impossible de lire {given} (par exemple 8GB)",
        "cannot read {given} (e.g. 8GB)",
    ),
    "engine_unknown": (
        "unknown engine",
        "moteur inconnu {engine} ; moteurs connus : {known}",
        "unknown engine {engine}; known engines: {known}",
    ),
    "engine_needs_package": (
        "engine package missing",
        'le moteur {engine} a besoin du paquet {package} : pip install "evalsoc[{extra}]"',
        'the {engine} engine needs the {package} package: pip install "evalsoc[{extra}]"',
    ),
    "pdf_needs_weasyprint": (
        "WeasyPrint missing",
        "le format pdf a besoin de WeasyPrint : pip install 'evalsoc[pdf]' (et sous "
        "Debian/Ubuntu apt-get install libpango-1.0-0 libpangoft2-1.0-0) ({detail})",
        "the pdf format needs WeasyPrint: pip install 'evalsoc[pdf]' (and on Debian/Ubuntu "
        "apt-get install libpango-1.0-0 libpangoft2-1.0-0) ({detail})",
    ),
    "docx_needs_python_docx": (
        "python-docx missing",
        "le format docx a besoin de python-docx : pip install 'evalsoc[docx]' ({detail})",
        "the docx format needs python-docx: pip install 'evalsoc[docx]' ({detail})",
    ),
    "output_format_unknown": (
        "unknown output format",
        "format(s) de sortie inconnu(s) {formats} : choisissez parmi {known} ou all",
        "unknown output format(s) {formats}: choose among {known} or all",
    ),
    # --- the run: data refused by the policy, data the framework does not find ---------------
    "data_refused_stop": (
        "data refused",
        "source de données {source} : {invalid} lignes sur {read} sont invalides et sa règle "
        "est on_invalid: stop. Problèmes principaux : {detail}",
        "data source {source}: {invalid} of {read} rows are invalid and its policy is "
        "on_invalid: stop. Main problems: {detail}",
    ),
    "data_refused_share": (
        "data refused",
        "source de données {source} : {invalid} lignes sur {read} ({share}) sont invalides, "
        "plus que max_invalid_share {limit}. Problèmes principaux : {detail}. Corrigez les "
        "données ou relevez max_invalid_share.",
        "data source {source}: {invalid} of {read} rows ({share}) are invalid, more than "
        "max_invalid_share {limit}. Main problems: {detail}. Fix the data or raise "
        "max_invalid_share.",
    ),
    "data_refused_outputs_kept": (
        "data refused",
        "{cause} Les lignes refusées sont dans {folder} ; les résultats précédents dans "
        "{out_dir} sont inchangés.{examples}",
        "{cause} The refused rows are in {folder}; the previous outputs in {out_dir} are "
        "unchanged.{examples}",
    ),
    "framework_data_not_found": (
        "data not found",
        "le cadre renvoie à des données qu'il ne trouve pas ({count} problème(s)) :",
        "the framework refers to data it does not find ({count} problem(s)):",
    ),
    "indicator_refused": (
        "indicator refused",
        "indicateur refusé (détail en anglais : {detail})",
        "{detail}",
    ),
    "survey_data_refused": (
        "data break the design",
        "source de données {source} : données refusées par le plan de sondage (détail en "
        "anglais : {detail})",
        "data source {source}: {detail}",
    ),
    # --- init, compare, history, import --------------------------------------------------------
    "template_unknown": (
        "unknown template",
        "modèle inconnu {template}{hint} (disponibles : {known})",
        "unknown template {template}{hint} (available: {known})",
    ),
    "init_path_is_file": (
        "path is a file",
        "{path} est un fichier, pas un dossier ; choisissez un nouveau dossier",
        "{path} is a file, not a folder; choose a new folder",
    ),
    "init_would_overwrite": (
        "would overwrite",
        "écraserait {files} ; choisissez un dossier vide",
        "would overwrite {files}; choose an empty folder",
    ),
    "init_file_appeared": (
        "file appeared",
        "{path} est apparu pendant l'écriture ; il n'est pas remplacé",
        "{path} appeared while writing; not replaced",
    ),
    "mapping_not_found": (
        "mapping file not found",
        "fichier de correspondance introuvable",
        "mapping file not found",
    ),
    "mapping_not_yaml": (
        "mapping not YAML",
        "YAML invalide ({detail})",
        "not valid YAML ({detail})",
    ),
    "mapping_shape": (
        "mapping malformed",
        "attendu `rename:` associant à chaque exécution (libellé ou id du cadre) "
        "{{id_local: id_commun}}",
        "expected `rename:` mapping each run (label or framework id) to {{local_id: common_id}}",
    ),
    "mapping_unknown_run": (
        "unknown run",
        "{runs} n'est pas une exécution de cette comparaison (exécutions : {known})",
        "{runs} is not a run of this comparison (runs: {known})",
    ),
    "mapping_unknown_id": (
        "unknown id",
        "{ids} n'est ni un indicateur, ni un effet, ni un critère de cette exécution",
        "{ids} is not an indicator, effect or criterion of this run",
    ),
    "compare_needs_two_runs": (
        "one run only",
        "compare a besoin d'au moins deux exécutions (dossiers de résultats ou cadres) pour "
        "comparer ; avec un seul cadre, `evalsoc compare CADRE` met ses deux lectures côte à "
        "côte",
        "compare needs at least two runs (output folders or frameworks) to compare across runs; "
        "with one framework, `evalsoc compare FRAMEWORK` sets its two readings side by side",
    ),
    "compare_nothing_in_common": (
        "nothing in common",
        "ces exécutions n'ont aucun identifiant d'indicateur, d'effet ou de critère en commun "
        "({counts}) : rien ne peut être comparé ; {hint}",
        "these runs have no indicator, effect or criterion id in common ({counts}): nothing can "
        "be compared; {hint}",
    ),
    "compare_run_twice_named": (
        "run given twice",
        "la même exécution est donnée deux fois : {runs} ; donnez chaque exécution une fois",
        "the same run is given twice: {runs}; give each run once",
    ),
    "compare_no_results": (
        "no results.json",
        "pas de results.json ici ; donnez un dossier de résultats de `evalsoc run` (ou son "
        "results.json) ou un cadre .yaml",
        "no results.json here; give an output folder of `evalsoc run` (or its results.json) or "
        "a framework .yaml",
    ),
    "compare_results_unreadable": (
        "results.json unreadable",
        "results.json illisible ({detail})",
        "not a readable results.json ({detail})",
    ),
    "compare_not_results": (
        "not a results.json",
        "pas un results.json d'evalsoc (clés `framework` et `indicators` absentes)",
        "not an evalsoc results.json (keys `framework` and `indicators` missing)",
    ),
    "history_needs_duckdb": (
        "DuckDB missing",
        "ce magasin d'historique est un fichier DuckDB ; installez-le avec `pip install "
        "evalsoc[history]` (ou enregistrez dans un fichier .sqlite)",
        "this history store is a DuckDB file; install it with `pip install evalsoc[history]` "
        "(or record into a .sqlite file)",
    ),
    "history_duckdb_unreadable": (
        "history store unreadable",
        "magasin d'historique DuckDB illisible ({detail})",
        "not a readable DuckDB history store ({detail})",
    ),
    "history_not_found": (
        "no history store",
        "pas de magasin d'historique ici ; enregistrez des exécutions avec `evalsoc run --record`",
        "no history store here; record runs with `evalsoc run --record`",
    ),
    "history_unusable": (
        "history store unusable",
        "le magasin d'historique est inutilisable ({detail})",
        "the history store cannot be used ({detail})",
    ),
    "compare_out_is_folder": (
        "output is a folder",
        "{path} est un dossier ; choisissez un autre --out",
        "{path} is a folder; choose another --out",
    ),
    "compare_out_not_ours": (
        "file not written by evalsoc",
        "{path} existe et n'a pas été écrit par evalsoc compare : il reste intact ; choisissez "
        "un autre --out",
        "{path} exists and was not written by evalsoc compare: it is left untouched; choose "
        "another --out",
    ),
    "compare_run_twice": (
        "run given twice",
        "la même exécution est donnée deux fois ; donnez chaque exécution une fois",
        "the same run is given twice; give each run once",
    ),
    "compare_mapping_one_run": (
        "one run only",
        "une seule exécution donnée : un fichier de correspondance apparie des identifiants "
        "entre plusieurs exécutions ; donnez au moins deux cadres ou dossiers de résultats",
        "only one run given: a mapping file matches ids across several runs; give at least two "
        "frameworks or output folders",
    ),
    "path_not_found": (
        "path not found",
        "fichier ou dossier introuvable",
        "no such file or folder",
    ),
    "history_framework_not_found": (
        "framework not found",
        "fichier de cadre introuvable",
        "no such framework file",
    ),
    "history_not_framework": (
        "not a framework",
        "pas un cadre (pas de clé `id`)",
        "not a framework (no `id` key)",
    ),
    "history_indicator_empty": (
        "no recorded value",
        "aucune valeur enregistrée pour cet indicateur",
        "no recorded value of this indicator",
    ),
    "init_needs_directory": (
        "no directory",
        "evalsoc init a besoin d'un DOSSIER (ou de --list)",
        "evalsoc init needs a DIRECTORY (or --list)",
    ),
    "import_output_exists": (
        "file exists",
        "{path} existe déjà : evalsoc n'écrase jamais un fichier ; choisissez un autre nom",
        "{path} exists already: evalsoc never overwrites a file; choose another name",
    ),
    "data_file_unreadable_as": (
        "data file unreadable",
        "impossible de lire le fichier comme {format} (détail en anglais : {detail})",
        "cannot read as {format}: {detail}",
    ),
    "reader_needs_package": (
        "reader package missing",
        "{what} demande {package} : pip install 'evalsoc[formats]'",
        "{what} needs {package}: pip install 'evalsoc[formats]'",
    ),
    "xlsform_unreadable": (
        "XLSForm unreadable",
        "XLSForm illisible (détail en anglais : {detail})",
        "not a readable XLSForm: {detail}",
    ),
    "zip_no_csv": (
        "no CSV in the zip",
        "le zip ne contient aucun fichier CSV",
        "the zip holds no CSV file",
    ),
    "zip_table_ambiguous": (
        "table not found in the zip",
        "`table: {table}` ne désigne pas un seul CSV du zip ; il contient {listed}",
        "`table: {table}` names no single CSV in the zip; it holds {listed}",
    ),
    "zip_unreadable": (
        "zip unreadable",
        "zip illisible ({detail})",
        "not a readable zip file ({detail})",
    ),
    # --- the output folder (evalsoc never overwrites what it did not write) --------------------
    "out_holds_inputs": (
        "output folder holds the inputs",
        "le dossier de résultats {target} contient le cadre ou ses données ({path}) : evalsoc "
        "n'y écrit jamais ses résultats. Choisissez un autre --out, par exemple un nouveau "
        "dossier à côté.",
        "output folder {target} holds the framework or its data ({path}): evalsoc never writes "
        "its outputs there. Choose another --out, e.g. a new folder beside it.",
    ),
    "out_not_ours": (
        "output folder not evalsoc's",
        "le dossier de résultats {target} n'est pas vide et {why} : {files}{more}. evalsoc "
        "n'écrit que dans un dossier nouveau ou vide, ou qu'il a créé. Choisissez un autre "
        "--out, ou ajoutez --force pour écrire à côté de ces fichiers (evalsoc ne remplace "
        "alors que les fichiers qu'il a lui-même écrits, jamais ceux-ci).",
        "output folder {target} is not empty and {why}: {files}{more}. evalsoc writes only "
        "into a new or empty folder, or one it made. Choose another --out, or add --force to "
        "write beside these files (evalsoc then replaces only files it wrote itself, never "
        "these).",
    ),
    "out_clash": (
        "file not written by evalsoc",
        "le dossier de résultats {target} contient déjà {files}, qu'evalsoc n'a pas écrit(s) : "
        "même avec --force il ne les remplacera pas. Déplacez-les ou choisissez un autre --out.",
        "output folder {target} already has {files}, which evalsoc did not write: even with "
        "--force it will not replace them. Move them away or choose another --out.",
    ),
    "out_is_symlink": (
        "output path is a link",
        "le chemin de sortie {target} est un lien symbolique : donnez le dossier vers lequel il "
        "pointe, ou un autre --out",
        "output path {target} is a symbolic link: give the folder it points to, or another --out",
    ),
    "out_not_folder": (
        "output path not a folder",
        "le chemin de sortie {target} existe et n'est pas un dossier : evalsoc ne le remplacera "
        "pas. Choisissez un autre --out.",
        "output path {target} exists and is not a folder: evalsoc will not replace it. Choose "
        "another --out.",
    ),
    "out_changed": (
        "output file changed",
        "{files} a changé depuis qu'evalsoc l'a écrit : evalsoc ne le remplacera pas. Sortez-le "
        "du dossier (ou supprimez-le), ou choisissez un autre --out.",
        "{files} changed since evalsoc wrote it: evalsoc will not replace it. Move it out of "
        "the folder (or delete it), or choose another --out.",
    ),
    "out_locked": (
        "output folder busy",
        "une autre exécution d'evalsoc écrit ses résultats dans {folder} ; attendez qu'elle "
        "finisse",
        "another evalsoc run is writing its outputs in {folder}; wait for it to finish",
    ),
    "out_no_name": (
        "no folder name",
        "{target} ne peut pas être un dossier de résultats ; donnez un nom de dossier",
        "{target} cannot be an output folder; give a folder name",
    ),
    "out_parent_is_file": (
        "parent is a file",
        "{existing} est un fichier, pas un dossier : il ne peut pas contenir le dossier de "
        "résultats {target}",
        "{existing} is a file, not a folder: it cannot hold the output folder {target}",
    ),
    "out_write_failed": (
        "outputs not written",
        "impossible d'écrire les résultats dans {target} : {detail}. Les résultats précédents "
        "sont inchangés.",
        "cannot write the outputs to {target}: {detail}. The previous outputs are unchanged.",
    ),
    "out_write_failed_in_place": (
        "outputs partly written",
        "impossible d'écrire les résultats dans {target} : {detail}. Les fichiers qu'evalsoc "
        "y avait déjà remplacés portent la nouvelle version.",
        "cannot write the outputs to {target}: {detail}. Files evalsoc had already replaced "
        "there hold the new version.",
    ),
    # --- sources built from others (join, stack, wide_to_long) --------------------------------
    "join_column_missing": (
        "join column missing",
        "{other} n'a pas de colonne {columns} (elle a {found})",
        "{other} has no column {columns} (it has {found})",
    ),
    "stack_columns_differ": (
        "columns differ",
        "{other} n'a pas les colonnes de {first} (absentes : {missing} ; en plus : {extra})",
        "{other} does not have the columns of {first} (missing: {missing}; extra: {extra})",
    ),
    "stack_column_exists": (
        "column exists",
        "la colonne {column} existe déjà ; choisissez une autre `column:`",
        "column {column} exists already; choose another `column:`",
    ),
    "wide_no_wave_column": (
        "no wave column",
        "aucune colonne de {source} ne commence par {prefixes}",
        "no column of {source} starts with {prefixes}",
    ),
    "wide_wave_incomplete": (
        "wave incomplete",
        "il manque à la vague {wave} : {columns}",
        "wave {wave} lacks {columns}",
    ),
    "wide_column_exists": (
        "column exists",
        "la colonne {column} existe déjà",
        "column {column} exists already",
    ),
    "column_unknown": (
        "unknown column",
        "colonne inconnue {column}{source}{hint}",
        "unknown column {column}{source}{hint}",
    ),
    "column_not_numeric": (
        "column not numeric",
        "la colonne {column} n'est pas numérique (déclarez-la number, integer ou likert)",
        "column {column} is not numeric (declare it as number, integer or likert)",
    ),
    "formula_invalid": (
        "invalid formula",
        "formule refusée{source} (détail en anglais : {detail})",
        "{detail}{source}",
    ),
    "design_kind_unsupported": (
        "kind without design",
        "un indicateur `{kind}` ne peut pas encore être estimé sur un plan de sondage (types "
        "possibles : {kinds}) ; déclarez `design: none` sur lui pour le calculer sans "
        "pondération",
        "a `{kind}` indicator cannot be estimated on a sampling design yet (design-based kinds: "
        "{kinds}); declare `design: none` on it to compute it unweighted",
    ),
    # --- cross-references inside the framework -------------------------------------------------
    "id_already_used": (
        "id used twice",
        "l'identifiant {id} ({what}) est déjà utilisé en {other}",
        "{what} id {id} is already used at {other}",
    ),
    "source_not_named": (
        "no data source named",
        "aucune source `data` donnée et le cadre a {count} sources : nommez l'une de {sources}",
        "no `data` source given and the framework has {count} sources: name one of {sources}",
    ),
    "evidence_unknown": (
        "unknown evidence",
        "preuve inconnue {ref} : ce n'est l'identifiant ni d'un effet, ni d'une capabilité, ni "
        "d'un effet SROI{hint}",
        "unknown evidence {ref}: not an effect, capability or SROI outcome id{hint}",
    ),
    "unknown_indicator": (
        "unknown indicator",
        "indicateur inconnu {ref}{hint}",
        "unknown indicator {ref}{hint}",
    ),
    "unknown_effect": (
        "unknown effect",
        "effet inconnu {ref}{hint}",
        "unknown effect {ref}{hint}",
    ),
    "unknown_capability": (
        "unknown capability",
        "capabilité inconnue {ref}{hint}",
        "unknown capability {ref}{hint}",
    ),
    "unknown_criterion": (
        "unknown criterion",
        "critère inconnu {ref}{hint}",
        "unknown criterion {ref}{hint}",
    ),
    "capability_set_unknown": (
        "unknown capability set",
        "ensemble de capabilités inconnu {id}{hint}",
        "unknown capability set {id}{hint}",
    ),
    "capability_source_differs": (
        "sources differ",
        "la capabilité {id} est calculée sur la source de données {source} ; un effet sur ses "
        "scores doit lire la même source (data: {name})",
        "capability {id} is computed on data source {source}; an effect on its scores must read "
        "the same source (data: {name})",
    ),
    "costs_no_resources": (
        "no resources section",
        "`resources: ...` reprend le total de la section resources, mais le cadre n'a pas de "
        "section `resources:` ; déclarez-la ou donnez le coût en `amount`",
        "`resources: ...` takes the resources section's total, but the framework has no "
        "`resources:` section; declare it or give the cost as `amount`",
    ),
    # --- values refused by the framework's own validators (ConfigValueError) -------------------
    "period_reversed": (
        "period reversed",
        "la période commence ({start}) après sa fin ({end})",
        "the period starts ({start}) after it ends ({end})",
    ),
    "column_needs_values": (
        "values missing",
        "une colonne de type {type} a besoin de ses `values`",
        "a column of type {type} needs its `values`",
    ),
    "likert_needs_levels": (
        "levels missing",
        "une colonne likert a besoin de `levels` (un nombre comme 5, ou une liste)",
        "a likert column needs `levels` (a number such as 5, or a list)",
    ),
    "likert_too_few_levels_got": (
        "too few levels",
        "une échelle de Likert a au moins 2 niveaux, reçu {given}",
        "a likert scale has at least 2 levels, got {given}",
    ),
    "likert_too_few_levels": (
        "too few levels",
        "une échelle de Likert a au moins 2 niveaux",
        "a likert scale has at least 2 levels",
    ),
    "column_min_above_max": (
        "min above max",
        "`min` est plus grand que `max`",
        "`min` is greater than `max`",
    ),
    "source_one_origin": (
        "one origin per source",
        "une source de données a exactement une clé parmi `file`, `join`, `stack` ou "
        "`wide_to_long`{found}",
        "a data source has exactly one of `file`, `join`, `stack` or `wide_to_long`{found}",
    ),
    "header_row_skip_rows": (
        "header row unclear",
        "`header_row` et `skip_rows` se contredisent : donnez l'un des deux",
        "`header_row` and `skip_rows` disagree: give one of them",
    ),
    "indicator_kinds_many": (
        "several kinds",
        "un indicateur a un seul type ; trouvé {kinds}",
        "an indicator has one kind; found {kinds}",
    ),
    "indicator_kind_missing": (
        "no kind",
        "un indicateur nomme son type par la clé qui porte sa colonne : l'une de {kinds} (par "
        "exemple `proportion: employed`)",
        "an indicator names its kind as the key holding its column: one of {kinds} (e.g. "
        "`proportion: employed`)",
    ),
    "gap_needs_groups": (
        "gap without groups",
        "indicateur {indicator} : `gap` a besoin de `between` (la colonne des groupes) et de "
        "`groups` (les deux valeurs comparées, par exemple [femmes, hommes])",
        "indicator {indicator}: `gap` needs `between` (the column of the groups) and `groups` "
        "(the two values compared, e.g. [women, men])",
    ),
    "fraction_expected": (
        "not a number",
        "attendu un nombre ou une fraction comme 1/3, reçu {given}",
        "expected a number or a fraction such as 1/3, got {given}",
    ),
    "date_format_lone_percent": (
        "lone %",
        "le format de date {format} finit par un '%' isolé ; écrivez %% pour un '%'",
        "the date format {format} ends with a lone '%'; write %% for a '%'",
    ),
    "date_format_directive": (
        "unknown date directive",
        "'%{letter}' n'est pas une directive de date dans le format {format} ; utilisez par "
        "exemple %d/%m/%Y, %Y-%m-%d ou %d.%m.%Y %H:%M (voir docs/framework.md)",
        "'%{letter}' is not a date directive in format {format}; use for example %d/%m/%Y, "
        "%Y-%m-%d or %d.%m.%Y %H:%M (see docs/framework.md)",
    ),
    "date_format_no_date": (
        "no date in format",
        "le format de date {format} ne lit ni jour, ni mois, ni année ; utilisez par exemple "
        "%d/%m/%Y",
        "the date format {format} reads no day, month or year; use for example %d/%m/%Y",
    ),
    "date_format_unusable": (
        "date format unusable",
        "le format de date {format} est inutilisable (détail en anglais : {detail})",
        "the date format {format} cannot be used: {detail}",
    ),
    "value_invalid_given": (
        "invalid value",
        "{detail} (reçu {given})",
        "{detail} (got {given})",
    ),
    "value_invalid": (
        "invalid value",
        "valeur invalide : {detail}",
        "{detail}",
    ),
    "design_needs_fpc": (
        "fpc missing",
        "`replacement: false` a besoin de `fpc` (la taille de la population par strate)",
        "`replacement: false` needs `fpc` (the population size per stratum)",
    ),
    "design_fpc_with_replacement": (
        "fpc with replacement",
        "`fpc` vaut pour des unités primaires tirées sans remise : retirez-le ou donnez "
        "`replacement: true`",
        "`fpc` applies to PSUs drawn without replacement: remove it or `replacement: true`",
    ),
    "cost_amount_or_resources": (
        "cost unclear",
        "costs.cost : donnez soit `amount` (un coût déclaré, avec sa `source`), soit "
        "`resources: actual` (le total de la section resources)",
        "costs.cost: give either `amount` (a declared cost, with its `source`) or "
        "`resources: actual` (the resources section's total)",
    ),
    "cost_year_with_resources": (
        "year without resources",
        "costs.cost : `year` et `include_reciprocity` vont avec `resources`",
        "costs.cost: `year` and `include_reciprocity` go with `resources`",
    ),
    "cost_ratio_one_base": (
        "ratio base unclear",
        "ratio de coût {ratio} : donnez `indicator` ou `effect`, l'un des deux",
        "cost ratio {ratio}: give `indicator` or `effect`, one of them",
    ),
    "cost_ratio_effect_per": (
        "ratio per outcome",
        "ratio de coût {ratio} : un ratio sur un effet se calcule par résultat supplémentaire",
        "cost ratio {ratio}: a ratio over an effect is per additional outcome",
    ),
    "cost_ratio_per_needs_effect": (
        "ratio needs an effect",
        "ratio de coût {ratio} : `per: additional_outcome` a besoin d'un `effect`",
        "cost ratio {ratio}: `per: additional_outcome` needs an `effect`",
    ),
    "cost_ratio_treated_with_effect": (
        "treated without effect",
        "ratio de coût {ratio} : `treated` va avec `effect`",
        "cost ratio {ratio}: `treated` goes with `effect`",
    ),
    "cost_ratio_ids_repeat": (
        "ratio ids repeat",
        "costs : deux ratios ont le même identifiant",
        "costs: two ratios have the same id",
    ),
    "cost_reference_unknown_ratio": (
        "unknown ratio",
        "costs.references : le ratio {ratio} n'est pas un identifiant de ratio ({ids})",
        "costs.references: ratio {ratio} is not a ratio id ({ids})",
    ),
    "volunteering_category_twice": (
        "category twice",
        "les `categories` du bénévolat donnent deux fois le même identifiant",
        "volunteering `categories` lists the same id twice",
    ),
    "volunteering_needs_hours": (
        "no hours",
        "le bénévolat a besoin soit de `data` (une source d'heures de bénévolat), soit de "
        "`categories` avec leurs heures (`hours`) déclarées",
        "volunteering needs either `data` (a source of volunteer hours) or `categories` with "
        "declared `hours`",
    ),
    "volunteering_category_needs_hours": (
        "hours missing",
        "sans `data`, chaque catégorie de bénévolat a besoin de ses heures (`hours`) "
        "déclarées ; elles manquent pour {categories}",
        "without `data`, every volunteering category needs its declared `hours`; missing for "
        "{categories}",
    ),
    "opportunity_cost_needs_rate": (
        "rate missing",
        "la valorisation opportunity_cost a besoin d'un taux horaire `rate` (par exemple le "
        "SMIC chargé) et de sa `source`",
        "opportunity_cost valuation needs one hourly `rate` (e.g. the minimum wage with "
        "employer charges) and its `source`",
    ),
    "opportunity_cost_category_rates": (
        "rates per category",
        "opportunity_cost utilise le seul `valuation.rate` ; retirez les taux des catégories "
        "({categories}) ou utilisez method: replacement_cost",
        "opportunity_cost uses the one `valuation.rate`; remove the category rates "
        "({categories}) or use method: replacement_cost",
    ),
    "replacement_cost_one_rate": (
        "one rate given",
        "replacement_cost prend un `rate` par catégorie, pas `valuation.rate`",
        "replacement_cost takes a `rate` per category, not `valuation.rate`",
    ),
    "replacement_cost_needs_categories": (
        "no categories",
        "replacement_cost a besoin de `categories`, chacune avec son taux horaire `rate`",
        "replacement_cost needs `categories`, each with its hourly `rate`",
    ),
    "replacement_cost_rates_missing": (
        "rates missing",
        "replacement_cost a besoin d'un taux horaire `rate` pour chaque catégorie ; il manque "
        "pour {categories}",
        "replacement_cost needs an hourly `rate` for every category; missing for {categories}",
    ),
    "rubric_level_twice": (
        "level twice",
        "l'échelle (`scale`) de la grille donne deux fois le même niveau",
        "the rubric `scale` lists the same level twice",
    ),
    "rubric_insufficient_is_level": (
        "insufficient is a level",
        "{value} signifie « éléments insuffisants » et ne peut pas être un niveau de l'échelle "
        "(il n'entre jamais dans la moyenne)",
        "{value} means 'insufficient evidence' and cannot be a level of the scale (it is never "
        "averaged in)",
    ),
    "rubric_threshold_unknown": (
        "threshold not a level",
        "le seuil (`threshold`) {threshold} de la grille n'est pas un niveau de l'échelle "
        "({levels})",
        "the rubric `threshold` {threshold} is not a level of the scale ({levels})",
    ),
    "verdict_ratios_order": (
        "ratios out of order",
        "les ratios des verdicts doivent décroître : remarquable > satisfaisant > fragile, reçu "
        "{given}",
        "verdict ratios must decrease: remarquable > satisfaisant > fragile, got {given}",
    ),
    "verdict_points_missing": (
        "points missing",
        "`points` doit donner chaque niveau de verdict ; il manque {missing}",
        "`points` must give every verdict level; missing {missing}",
    ),
    "verdict_points_order": (
        "points out of order",
        "`points` doit croître d'insuffisant à remarquable",
        "`points` must increase from insuffisant to remarquable",
    ),
    "materiality_one_threshold": (
        "two thresholds",
        "la matérialité prend un seul seuil : `min_weight` ou `min_rating`",
        "materiality takes one threshold: `min_weight` or `min_rating`",
    ),
    "valuation_roles_empty": (
        "no role",
        "`roles` nomme au moins un rôle",
        "`roles` names at least one role",
    ),
    "valuation_rank_or_rating": (
        "rank or rating",
        "une valorisation lit une seule colonne : `rank` ou `rating`",
        "a valuation reads one column: `rank` or `rating`",
    ),
    "valuation_mean_rating_needs_rating": (
        "rating column needed",
        "`method: mean_rating` a besoin d'une colonne `rating`, pas `rank`",
        "`method: mean_rating` needs a `rating` column, not `rank`",
    ),
    "valuation_method_needs_rank": (
        "rank column needed",
        "`method: {method}` a besoin d'une colonne `rank`, pas `rating`",
        "`method: {method}` needs a `rank` column, not `rating`",
    ),
    "valuation_min_rating_needs_ratings": (
        "ratings needed",
        "`min_rating` demande des notes ; avec des rangs, utilisez `min_weight`",
        "`min_rating` needs ratings; with ranks use `min_weight`",
    ),
    "role_unknown": (
        "unknown role",
        "rôle inconnu {role} ; rôles connus : {roles}",
        "unknown role {role}; known roles: {roles}",
    ),
    "cannot_write": (
        "cannot write",
        "impossible d'écrire{where} : {detail}",
        "cannot write{where}: {detail}",
    ),
    "out_of_memory": (
        "not enough memory",
        "pas assez de mémoire pour ces données",
        "not enough memory for this data",
    ),
    # --- capabilities section's validators ------------------------------------------------------
    "capability_cutoff_or_deprived": (
        "cutoff or deprived condition",
        "la dimension {dimension} a besoin soit d'un `cutoff` (privation quand le score est en "
        "dessous), soit d'une condition `deprived`, pas les deux et pas aucun",
        "dimension {dimension} needs either a `cutoff` (deprived when the score is below "
        "it) or a `deprived` condition, not both and not neither",
    ),
    "capability_cutoff_without_items": (
        "cutoff without items",
        "la dimension {dimension} a un seuil mais aucun `items` à noter",
        "dimension {dimension} has a cutoff but no `items` to score",
    ),
    "capability_reverse_not_items": (
        "reverse-coded item unknown",
        "dimension {dimension} : les items codés à l'envers {items} ne font pas partie de ses "
        "items",
        "dimension {dimension}: reverse-coded items {items} are not among its items",
    ),
    "capability_item_twice": (
        "item listed twice",
        "la dimension {dimension} cite deux fois le même item",
        "dimension {dimension} lists an item twice",
    ),
    "capability_weight_not_positive": (
        "weight not positive",
        "dimension {dimension} : un poids doit être positif, reçu {given}",
        "dimension {dimension}: a weight must be positive, got {given}",
    ),
    "capability_k_missing": (
        "k missing",
        "k doit être une part comme 1/3, ou une liste de parts",
        "k must be a share such as 1/3, or a list of them",
    ),
    "capability_k_not_share": (
        "k not a share",
        "k doit être une part du poids total dans ]0, 1], reçu {given}",
        "k must be a share of the total weight in (0, 1], got {given}",
    ),
    "capability_k_twice": (
        "k cutoff twice",
        "k donne deux fois le même seuil ({first} et {second})",
        "k lists the same cutoff twice ({first} and {second})",
    ),
    "capability_wave_date_invalid": (
        "wave date unreadable",
        "dates : la vague {wave} a besoin d'une date (AAAA-MM-JJ) ou d'une année",
        "dates: wave {wave} needs a date (YYYY-MM-DD) or a year",
    ),
    "capability_dimension_id_twice": (
        "dimension id twice",
        "ensemble de capabilités {set} : deux dimensions ont le même id",
        "capability set {set}: two dimensions share an id",
    ),
    "capability_weights_partial": (
        "weights partial",
        "ensemble de capabilités {set} : donnez un poids à chaque dimension, ou à aucune "
        "(poids égaux)",
        "capability set {set}: give a weight to every dimension, or to none (equal weights)",
    ),
    "capability_empowered_share": (
        "empowered share out of range",
        "empowered_share doit être une part dans ]0, 1], reçu {given}",
        "empowered_share must be a share in (0, 1], got {given}",
    ),
    # --- effects section's validators -----------------------------------------------------------
    "effect_trim_invalid": (
        "trim unreadable",
        "trim : une part entre 0 et 0,5 (par exemple 0.05), 'crump' ou [bas, haut]",
        "trim: a share between 0 and 0.5 (e.g. 0.05), 'crump' or [low, high]",
    ),
    "effect_trim_bounds_invalid": (
        "trim bounds invalid",
        "trim : [bas, haut] demande deux nombres avec 0 ≤ bas < haut ≤ 1",
        "trim: [low, high] needs two numbers with 0 ≤ low < high ≤ 1",
    ),
    "effect_key_needed": (
        "design key missing",
        "{where} a besoin de `{key}` : {meaning}",
        "{where} needs `{key}`: {meaning}",
    ),
    "effect_cr2_small_sample": (
        "cr2 and small_sample",
        "{where} : se: cr2 est déjà une correction pour petits échantillons ; retirez "
        "`small_sample: {small_sample}` ou écrivez se: cluster",
        "{where}: se: cr2 already is a small-sample remedy; drop `small_sample: "
        "{small_sample}` or write se: cluster",
    ),
    "effect_iv_needs_endogenous": (
        "endogenous variable missing",
        "{where} a besoin de `endogenous` (une colonne numérique) ou de `treatment` (0/1) : la "
        "variable dont les instruments identifient l'effet",
        "{where} needs `endogenous` (a numeric column) or `treatment` (0/1): the "
        "variable whose effect the instruments identify",
    ),
    "effect_se_cluster_needs_cluster": (
        "cluster column missing",
        "{where} : se: cluster a besoin de `cluster`, la colonne des grappes",
        "{where}: se: cluster needs `cluster`, the column of the clusters",
    ),
    "effect_small_sample_needs_cluster": (
        "cluster column missing",
        "{where} : small_sample: {small_sample} corrige le faible nombre de grappes et a "
        "besoin de `cluster`",
        "{where}: small_sample: {small_sample} is a remedy for few clusters and needs `cluster`",
    ),
    "effect_abadie_imbens_scope": (
        "abadie_imbens out of scope",
        "{where} : matching_se: abadie_imbens s'applique au plan matching avec "
        "match_method: nearest et replace: true (Abadie & Imbens 2006)",
        "{where}: matching_se: abadie_imbens applies to design matching with "
        "match_method: nearest and replace: true (Abadie & Imbens 2006)",
    ),
    "effect_bias_adjust_needs_abadie_imbens": (
        "bias_adjust without abadie_imbens",
        "{where} : bias_adjust demande matching_se: abadie_imbens",
        "{where}: bias_adjust needs matching_se: abadie_imbens",
    ),
    "effect_key_design_scope": (
        "key out of its design",
        "{where} : `{key}` s'applique au plan {designs}",
        "{where}: `{key}` applies to design {designs}",
    ),
    "effect_key_designs_scope": (
        "key out of its designs",
        "{where} : `{key}` s'applique aux plans {designs}",
        "{where}: `{key}` applies to designs {designs}",
    ),
    "effect_inequality_designs": (
        "inequality outcome out of its designs",
        "{where} : {key} s'applique aux plans difference et did",
        "{where}: {key} applies to designs difference and did",
    ),
    "effect_inequality_unadjusted": (
        "inequality outcome adjusted",
        "{where} : {key} compare des indices non ajustés et non pondérés ; retirez `{name}` "
        "(docs/effects.md, l'inégalité comme résultat)",
        "{where}: {key} compares unadjusted, unweighted indices; remove `{name}` "
        "(docs/effects.md, inequality as the outcome)",
    ),
    "effect_post_or_time": (
        "post or time",
        "{where} : donnez soit `post`, soit `time` avec `before`/`after`, pas les deux",
        "{where}: give either `post` or `time` with `before`/`after`, not both",
    ),
    "effect_pre_post_needs_time": (
        "before and after missing",
        "{where} a besoin de `time` avec ses valeurs `before` et `after` "
        "(par exemple time: wave, before: 0, after: 1), ou d'une condition `post`",
        "{where} needs `time` with its `before` and `after` values "
        "(e.g. time: wave, before: 0, after: 1), or a `post` condition",
    ),
    "effect_pre_post_no_treatment": (
        "treatment in a before/after design",
        "{where} : une comparaison avant/après suit les mêmes personnes et ne prend pas de "
        "`treatment` ; choisissez-les avec `where`, ou utilisez le plan did pour comparer avec un "
        "groupe qui n'a pas participé",
        "{where}: a before/after comparison follows the same people and takes no "
        "`treatment`; choose them with `where`, or use design did to compare with a "
        "group that did not take part",
    ),
    # --- resources section's validators ---------------------------------------------------------
    "resources_line_amount_negative": (
        "negative amount",
        "ligne {line} : un montant `{key}` négatif n'est pas admis (déclarez un remboursement "
        "ou une perte comme un montant plus petit, pas comme un montant négatif)",
        "line {line}: a negative `{key}` amount is not allowed (declare a "
        "refund or a loss as a smaller amount, not a negative one)",
    ),
    "resources_unvalued_with_amount": (
        "amount on an unvalued line",
        "ligne {line} : `valued: false` ne prend aucun montant ; retirez-les",
        "line {line}: `valued: false` takes no amount; remove them",
    ),
    "resources_volunteering_actual_given": (
        "actual amount on a volunteering line",
        "ligne {line} : `from_volunteering: true` prend le montant réalisé de la période dans la "
        "section bénévolat ; retirez `actual` (ou donnez les autres années sous la forme "
        "{{année: montant}})",
        "line {line}: `from_volunteering: true` takes the period's actual amount "
        "from the volunteering section; remove `actual` (or give other years as "
        "{{year: amount}})",
    ),
    "resources_nature_unknown": (
        "unknown nature",
        "ligne {line} : la nature {nature} n'est pas l'une de {known}",
        "line {line}: nature {nature} is not one of {known}",
    ),
    "resources_kind_unknown": (
        "unknown kind",
        "ligne {line} : le type {kind} n'est pas un type de ressource {nature} ; utilisez l'un "
        "de {known}",
        "line {line}: kind {kind} is not a kind of {nature} resource; use one of {known}",
    ),
    "resources_funder_not_redistribution": (
        "funder on a line that is not redistribution",
        "ligne {line} : seules les lignes de redistribution nomment un financeur (ligne {nature})",
        "line {line}: only redistribution lines name a funder ({nature} line)",
    ),
    "resources_redistribution_needs_funder": (
        "funder missing",
        "ligne {line} : une ligne de redistribution nomme son `funder`",
        "line {line}: a redistribution line names its `funder`",
    ),
    "resources_funder_and_funders": (
        "funder and funders",
        "ligne {line} : donnez `funder` ou `funders` (des parts), pas les deux",
        "line {line}: give `funder` or `funders` (shares), not both",
    ),
    "resources_funder_share_negative": (
        "negative funder share",
        "ligne {line} : la part d'un financeur ne peut pas être négative",
        "line {line}: a funder's share cannot be negative",
    ),
    "resources_funder_shares_over": (
        "funders' shares over 100 %",
        "ligne {line} : les parts des financeurs font {total} au total, plus de 100 %",
        "line {line}: the funders' shares add up to {total}, over 100 %",
    ),
    "resources_funder_shares_under": (
        "funders' shares under 100 %",
        "ligne {line} : les parts des financeurs font {total} au total ; elles doivent faire "
        "100 % (nommez qui finance le reste)",
        "line {line}: the funders' shares add up to {total}; they must add up "
        "to 100 % (name who funds the rest)",
    ),
    "resources_from_volunteering_kind": (
        "from_volunteering on another kind",
        "ligne {line} : `from_volunteering` est pour une ligne de réciprocité de type volunteering",
        "line {line}: `from_volunteering` is for a reciprocity line of kind volunteering",
    ),
    "resources_needs_lines": (
        "no budget lines",
        "resources a besoin de `lines` ou de `data` (une source de lignes budgétaires)",
        "resources needs `lines` or `data` (a source of budget lines)",
    ),
    "resources_line_ids_twice": (
        "line id twice",
        "resources : id(s) de ligne {ids} déclaré(s) deux fois",
        "resources: line id(s) {ids} declared twice",
    ),
    "resources_funder_ids_twice": (
        "funder id twice",
        "resources : la liste `funders` nomme deux fois le même id",
        "resources: the `funders` list names the same id twice",
    ),
    "resources_from_volunteering_twice": (
        "from_volunteering twice",
        "resources : une seule ligne prend `from_volunteering`",
        "resources: only one line takes `from_volunteering`",
    ),
    # --- SROI section's validators --------------------------------------------------------------
    "sroi_parameter_not_number": (
        "not a number",
        "un nombre est attendu, ou une table comme {{value: 0.2, low: 0.1, high: 0.3}}",
        "expected a number or a mapping such as {{value: 0.2, low: 0.1, high: 0.3}}",
    ),
    "sroi_not_finite": (
        "number not finite",
        "`{key}` doit être un nombre fini, reçu {given}",
        "`{key}` must be a finite number, got {given}",
    ),
    "sroi_range_needs_both": (
        "range half given",
        "donnez à la fois `low` et `high` pour un intervalle, ou aucun des deux",
        "give both `low` and `high` for a range, or neither",
    ),
    "sroi_low_above_high": (
        "low above high",
        "`low` ({low}) est plus grand que `high` ({high})",
        "`low` ({low}) is greater than `high` ({high})",
    ),
    "sroi_key_needs_distribution": (
        "key of another distribution",
        "`{key}` ne s'applique qu'à `distribution: {distribution}`",
        "`{key}` only applies to `distribution: {distribution}`",
    ),
    "sroi_distribution_needs_range": (
        "range missing",
        "une loi {distribution} a besoin de `low` et `high`",
        "a {distribution} distribution needs `low` and `high`",
    ),
    "sroi_normal_needs_sd": (
        "sd missing",
        "une loi normale a besoin de `sd`, son écart-type (> 0)",
        "a normal distribution needs `sd`, its standard deviation (> 0)",
    ),
    "sroi_normal_needs_mean": (
        "mean missing",
        "une loi normale a besoin d'une moyenne `mean` (ou d'une `value`)",
        "a normal distribution needs a `mean` (or a `value`)",
    ),
    "sroi_beta_needs_alpha_beta": (
        "alpha and beta missing",
        "une loi bêta a besoin de `alpha` et `beta`, tous deux au-dessus de 0",
        "a beta distribution needs `alpha` and `beta`, both above 0",
    ),
    "sroi_outside_range": (
        "value outside its range",
        "`{key}` ({given}) est hors de son intervalle [{low}, {high}]",
        "`{key}` ({given}) is outside its range [{low}, {high}]",
    ),
    "sroi_parameter_needs_value": (
        "value missing",
        "donnez une `value` (ou un intervalle avec `low` et `high`)",
        "give a `value` (or a range with `low` and `high`)",
    ),
    "sroi_proxy_not_mapping": (
        "proxy unreadable",
        "un proxy est une table comme {{value: 12000, unit: ..., source: ..., evidence: amber}}, "
        "ou `proxy: none` avec une `reason`",
        "a proxy is a mapping such as {{value: 12000, unit: ..., source: ..., evidence: amber}}, "
        "or `proxy: none` with a `reason`",
    ),
    "sroi_proxy_needs_source": (
        "proxy source missing",
        "un proxy a besoin de sa `source` (d'où vient la valeur financière)",
        "a proxy needs its `source` (where the financial value comes from)",
    ),
    "sroi_proxy_range_twice": (
        "proxy range twice",
        "donnez l'intervalle du proxy soit dans `value`, soit à côté, pas les deux",
        "give the proxy's range either inside `value` or next to it, not both",
    ),
    "sroi_proxy_beta": (
        "proxy follows a beta law",
        "la valeur d'un proxy ne peut pas suivre une loi bêta (elle est faite pour des parts dans "
        "[0, 1])",
        "a proxy value cannot follow a beta law (it is for shares in [0, 1])",
    ),
    "sroi_amount_too_large": (
        "amount too large",
        "`{key}` vaut {given}, au-delà de la limite de 1e15 (un million de milliards) : vérifiez "
        "l'unité",
        "`{key}` is {given}, above the limit of 1e15 (a million billion): check the unit",
    ),
    "sroi_outcome_needs_proxy": (
        "proxy missing",
        "un résultat a besoin d'un `proxy` (ou de `proxy: none` avec une `reason` quand aucun "
        "proxy financier crédible n'existe)",
        "an outcome needs a `proxy` (or `proxy: none` with a `reason` when no credible financial "
        "proxy exists)",
    ),
    "sroi_quantity_one_reference": (
        "quantity refers to several results",
        "une quantité renvoie à un seul résultat ; trouvé {kinds}",
        "a quantity refers to one result; found {kinds}",
    ),
    "sroi_not_a_share": (
        "not a share",
        "{field}{which} doit être une part entre 0 et 1, reçu {given}",
        "{field}{which} must be a share between 0 and 1, got {given}",
    ),
    "sroi_duration_not_positive": (
        "duration not positive",
        "duration{which} doit être positive (en années), reçu {given}",
        "duration{which} must be positive (in years), got {given}",
    ),
    "sroi_duration_too_long": (
        "duration too long",
        "duration{which} doit valoir au plus {limit} ans, reçu {given}",
        "duration{which} must be at most {limit} years, got {given}",
    ),
    "sroi_beta_only_shares": (
        "beta law outside shares",
        "{key} : une loi bêta ne sert qu'aux parts entre 0 et 1",
        "{key}: a beta distribution is only for shares between 0 and 1",
    ),
    "sroi_quantity_negative": (
        "quantity negative",
        "quantity{which} doit être positive ou nulle, reçu {given}",
        "quantity{which} must be zero or more, got {given}",
    ),
    "sroi_outcome_reason_needed": (
        "reason missing",
        "résultat {outcome} : un résultat avec `proxy: none` a besoin d'une `reason` (pourquoi "
        "aucun proxy financier crédible n'existe) ; il reste dans l'analyse comme non monétisé",
        "outcome {outcome}: an outcome with `proxy: none` needs a `reason` (why no credible "
        "financial proxy exists); it stays in the analysis as non-monetised",
    ),
    "sroi_outcome_reason_with_proxy": (
        "reason with a proxy",
        "résultat {outcome} : `reason` explique pourquoi un résultat n'a pas de proxy, mais "
        "celui-ci en a un ; mettez la raison d'un ajustement à l'intérieur de celui-ci, par "
        "exemple displacement: {{value: 0, reason: ...}}",
        "outcome {outcome}: `reason` explains why an outcome has no proxy, but this outcome has "
        "one; put the reason for an adjustment inside it, e.g. displacement: {{value: 0, reason: "
        "...}}",
    ),
    "sroi_outcome_needs_quantity": (
        "quantity missing",
        "résultat {outcome} : un résultat monétisé a besoin d'une `quantity` (un nombre ou une "
        "référence)",
        "outcome {outcome}: a monetised outcome needs a `quantity` (a number or a reference)",
    ),
    "sroi_outcome_needs_duration": (
        "duration missing",
        "résultat {outcome} : un résultat monétisé a besoin d'une `duration` en années (par "
        "exemple duration: 1)",
        "outcome {outcome}: a monetised outcome needs a `duration` in years (e.g. duration: 1)",
    ),
    "sroi_input_one_kind": (
        "input kind",
        "une ressource investie est l'une de : `amount` (de l'argent), `hours` avec `rate` "
        "(bénévolat valorisé), ou `volunteering: true` (la valeur calculée par la section "
        "bénévolat)",
        "an input is one of: `amount` (money), `hours` with `rate` (valued volunteering), or "
        "`volunteering: true` (the value computed by the volunteering section)",
    ),
    "sroi_input_volunteering_false": (
        "volunteering: false",
        "`volunteering: false` n'est pas une ressource investie ; retirez la clé",
        "`volunteering: false` is not an input; remove the key",
    ),
    "sroi_input_hours_and_rate": (
        "hours or rate missing",
        "le bénévolat valorisé a besoin à la fois de `hours` et de `rate` (par heure)",
        "valued volunteering needs both `hours` and `rate` (per hour)",
    ),
    "sroi_not_negative": (
        "negative number",
        "`{key}` doit être positif ou nul, reçu {given}",
        "`{key}` must be zero or more, got {given}",
    ),
    "sroi_discount_step_reversed": (
        "discount step reversed",
        "`to` ({end}) vient avant `from` ({start})",
        "`to` ({end}) comes before `from` ({start})",
    ),
    "sroi_discount_rate_out_of_range": (
        "discount rate out of range",
        "un taux d'actualisation doit être entre 0 et 1, reçu {given}",
        "a discount rate must be between 0 and 1, got {given}",
    ),
    "sroi_discount_schedule_empty": (
        "discount schedule empty",
        "un échéancier d'actualisation a besoin d'au moins une étape `{{from, to, rate}}`",
        "a discount schedule needs at least one `{{from, to, rate}}` step",
    ),
    "sroi_discount_rate_not_share": (
        "discount rate out of range",
        "discount_rate{which} doit être entre 0 et 1, reçu {given}",
        "discount_rate{which} must be between 0 and 1, got {given}",
    ),
    "sroi_discount_steps_gap": (
        "discount steps do not follow",
        "l'étape {step} de l'échéancier d'actualisation commence à l'année {start} ; les étapes "
        "se suivent à partir de l'année 1 (attendu {expected})",
        "discount schedule step {step} starts at year {start}; steps must follow one another from "
        "year 1 (expected {expected})",
    ),
    "sroi_discount_last_step_open": (
        "open step not last",
        "seule la dernière étape d'un échéancier d'actualisation peut omettre `to`",
        "only the last step of a discount schedule may omit `to`",
    ),
    "sroi_needs_input": (
        "no input",
        "le SROI a besoin d'au moins une ressource investie (ce qui a été investi)",
        "the SROI needs at least one input (what was invested)",
    ),
    "sroi_needs_outcome": (
        "no outcome",
        "le SROI a besoin d'au moins un résultat",
        "the SROI needs at least one outcome",
    ),
    "sroi_outcome_id_twice": (
        "outcome id twice",
        "l'id de résultat {outcome} est utilisé deux fois",
        "outcome id {outcome} is used twice",
    ),
    # --- indicators' published references ------------------------------------------------------
    "reference_interval_half": (
        "reference interval half given",
        "l'intervalle d'une référence a besoin à la fois de `low` et de `high`",
        "a reference's interval needs both `low` and `high`",
    ),
    "reference_interval_and_se": (
        "reference interval and se",
        "donnez l'intervalle de la référence (`low`, `high`) ou son `se`, pas les deux",
        "give the reference's interval (`low`, `high`) or its `se`, not both",
    ),
    "reference_outside_interval": (
        "reference outside its interval",
        "la valeur de référence {value} est hors de son intervalle [{low}, {high}]",
        "the reference value {value} is outside its interval [{low}, {high}]",
    ),
    "reference_kind_not_comparable": (
        "indicator kind without reference",
        "un indicateur {kind} ne peut pas être placé à côté d'une valeur de référence : "
        "`references` s'applique aux indicateurs quantitatifs (moyenne, proportion, effectif, "
        "taux…)",
        "a {kind} indicator cannot be set beside a reference value: `references` applies "
        "to quantitative indicators (mean, proportion, count, rate…)",
    ),
    "reference_share_needs_values": (
        "share reference without values",
        "un indicateur de répartition (share) n'a de valeur à comparer qu'avec `values` (les "
        "valeurs comptées)",
        "a share indicator has a value to compare only with `values` (the values counted)",
    ),
    "reference_not_a_proportion": (
        "reference not a proportion",
        "référence {i} ({source}, {year}) : un indicateur {kind} se compare à une proportion "
        "entre 0 et 1 ; `{name}: {number}` n'en est pas une (écrivez 23 % sous la forme 0.23)",
        "reference {i} ({source}, {year}): a {kind} is compared with a proportion between 0 "
        "and 1; `{name}: {number}` is not one (write 23 % as 0.23)",
    ),
    # --- the `where` language's own errors (framework/expressions.py, engines/*): each
    # message is followed by "in expression '…'" and a caret under the position ---
    "where_unsupported": (
        "unsupported where expression",
        "expression non prise en charge",
        "unsupported expression",
    ),
    "where_unexpected_character": (
        "unexpected character in where",
        "caractère inattendu {character}{hint}",
        "unexpected character {character}{hint}",
    ),
    "where_nested_too_deeply_levels": (
        "where nested too deeply",
        "l'expression est trop imbriquée (plus de {levels} niveaux de 'not' ou de parenthèses)",
        "the expression is nested too deeply (more than {levels} levels of 'not' or parentheses)",
    ),
    "where_unexpected_end": (
        "where ends too early",
        "fin inattendue",
        "unexpected end",
    ),
    "where_expected_token": (
        "expected token in where",
        "{expected} attendu, trouvé {found}",
        "expected {expected}, found {found}",
    ),
    "where_empty": (
        "empty where",
        "expression vide",
        "empty expression",
    ),
    "where_unexpected_token": (
        "unexpected token in where",
        "{token} inattendu{hint}",
        "unexpected {token}{hint}",
    ),
    "where_comparison_needs_column": (
        "comparison without column",
        "une comparaison porte sur au moins une colonne",
        "a comparison needs at least one column",
    ),
    "where_literal_alone": (
        "literal alone in where",
        "une valeur seule n'est pas une condition",
        "a literal alone is not a condition",
    ),
    "where_in_needs_list": (
        "in without list",
        "une liste telle que [1, 2] est attendue après 'in'",
        "expected a list such as [1, 2] after 'in'",
    ),
    "where_list_literals_only": (
        "list of non-literals",
        "une liste ne contient que des valeurs littérales",
        "a list holds literal values only",
    ),
    "where_expected_comma": (
        "list separator expected",
        "',' ou {closing} attendu",
        "expected ',' or {closing}",
    ),
    "where_unexpected_keyword": (
        "unexpected keyword in where",
        "mot-clé {keyword} inattendu",
        "unexpected keyword {keyword}",
    ),
    "where_unknown_column": (
        "unknown column in where",
        "colonne {column} inconnue{hint}",
        "unknown column {column}{hint}",
    ),
    "where_not_text": (
        "where not text",
        "une expression doit être du texte",
        "an expression must be text",
    ),
    "where_too_long": (
        "where too long",
        "l'expression dépasse {limit} caractères",
        "the expression is longer than {limit} characters",
    ),
    "where_nested_too_deeply": (
        "where nested too deeply",
        "l'expression est trop imbriquée",
        "the expression is nested too deeply",
    ),
    "where_in_needs_column": (
        "in without column",
        "'in' demande une colonne à sa gauche",
        "'in' needs a column on its left",
    ),
    "where_boolean_column_literal": (
        "boolean column compared with text",
        "la colonne {column} est booléenne : comparez-la avec true ou false (ou oui/non), "
        "pas avec {value}",
        "column {column} is boolean: compare it with true or false (or oui/non), not {value}",
    ),
    "where_column_not_boolean": (
        "column not boolean",
        "la colonne {column} n'est pas booléenne : comparez-la avec une valeur",
        "column {column} is not boolean: compare it with a value",
    ),
    "where_not_a_condition": (
        "where not a condition",
        "l'expression ne donne pas une condition",
        "the expression does not give a condition",
    ),
    "where_operand_not_column_or_value": (
        "comparison operand",
        "un terme de comparaison est une colonne ou une valeur",
        "a comparison operand must be a column or a value",
    ),
    "where_null_comparison": (
        "null compared with an order",
        "null ne se compare qu'avec == ou !=, pas avec {op}",
        "null can only be compared with == or !=, not {op}",
    ),
    "where_cannot_compare": (
        "values not comparable",
        "impossible de comparer avec {op} : {reason}",
        "cannot compare with {op}: {reason}",
    ),
    "where_order_on_text": (
        "order on a text column",
        "la colonne {column} contient du texte, donc {op} la comparerait lettre par lettre "
        "('10' < '9') ; déclarez la colonne `type: number` ou `integer` dans `columns:`, "
        "ou comparez-la avec == / != / in",
        "column {column} holds text, so {op} would compare it letter by letter ('10' < '9'); "
        "declare the column `type: number` or `integer` in `columns:`, or compare it with "
        "== / != / in",
    ),
}
