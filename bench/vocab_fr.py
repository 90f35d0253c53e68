"""French vocabulary for the synthetic corpus (stdlib only, no data files).

Word lists about school IT, plus inflection rules (plurals, -er verb forms,
adjective agreement) so that a search index sees a realistic number of
distinct surface forms and stems. The long tail (people, rooms, models,
error codes, host names, ticket numbers) is generated in gen_corpus.py.
"""

# Masculine nouns, general and school-IT.
NOUNS_M = """
accès affichage agenda annuaire appareil argument atelier attestation bouton bureau
câble cahier calendrier casque certificat chargeur chariot classeur clavier clic code
collège compte conseil contenu contrat courriel curseur dépôt disque document dossier
écran élève enseignant établissement examen exercice fichier filtre flux format formulaire
groupe identifiant lecteur lien logiciel manuel menu message micro mode modèle module
navigateur niveau nom numéro objectif onglet ordinateur outil panneau paramètre partage
périphérique pilote plan portail poste problème profil programme projecteur protocole
rapport référent registre réglage répertoire réseau résultat retour routeur serveur
service signal site support système tableau téléphone texte thème ticket titre trimestre
usage utilisateur vidéoprojecteur volume voyant bâtiment couloir gymnase laboratoire
secrétariat internat foyer réfectoire préau parking accueil standard principal adjoint
gestionnaire professeur surveillant assistant stagiaire remplaçant inspecteur parent
intervenant prestataire technicien département rectorat académie ministère conseiller
inventaire budget devis bon marché contrôle audit diagnostic incident dépannage
redémarrage démarrage arrêt branchement câblage raccordement boîtier commutateur
concentrateur répéteur adaptateur convertisseur connecteur port emplacement tiroir placard
casier cadenas badge lecteur scanner copieur toner tambour bac papier rouleau ruban
haut-parleur amplificateur microphone caméscope appareil-photo trépied visualiseur
stylet crayon feutre chiffon nettoyant filtre ventilateur radiateur capteur détecteur
clavier pavé écouteur câble-antivol antivirus pare-feu proxy domaine sous-domaine
annuaire serveur-relais espace stockage quota volume archivage historique journal
calendrier emploi-du-temps cours devoir contrôle bulletin relevé conseil-de-classe
livret socle parcours projet exposé diaporama tableur traitement-de-texte courrier
brouillon modèle gabarit fond-d'écran raccourci bureau-distant tiroir-de-charge
chargement téléchargement envoi partage transfert import export déploiement
paramétrage verrouillage déverrouillage chiffrement mot-de-passe code-pin jeton
navigateur favori onglet historique cache cookie pop-up certificat témoin
clic-droit glisser-déposer copier-coller aperçu zoom plein-écran mode-sombre
temps jour matin soir midi après-midi lundi mardi mercredi jeudi vendredi samedi mois
trimestre semestre an moment instant début milieu bout côté endroit lieu cas exemple
moyen besoin souci doute avis accord choix changement essai test délai rythme ordre
rang tour coup geste réflexe conseil rappel principe risque danger défaut manque
surplus excès oubli retard départ arrivée passage couloir escalier étage sous-sol
rez-de-chaussée toit mur plafond sol coin angle bord fond dessus dessous centre
élève collégien lycéen parent tuteur responsable délégué représentant agent personnel
médecin infirmier psychologue documentaliste conseiller-principal-d'éducation
cuisinier jardinier concierge chauffeur livreur fournisseur constructeur éditeur
public auditoire groupe-classe binôme trinôme atelier club foyer association
voyage sortie stage concours salon forum spectacle carnaval cross marché conseil
chapitre paragraphe mot phrase caractère chiffre nombre total pourcentage score
point barème critère niveau palier seuil plafond minimum maximum écart
"""

NOUNS_F = """
adresse aide alerte alimentation antenne application archive armoire assistance
authentification autorisation barre base batterie borne boîte calibration carte
cartouche case catégorie chaîne charge charte classe clé colonne commande configuration
connexion console consigne convention copie correction coupure date demande destination
distribution documentation donnée durée écriture entrée épreuve erreur étape étiquette
évaluation extension fenêtre fiche file fonction formation grille icône image imprimante
impression information installation interface lampe langue liaison licence ligne liste
machine maintenance matière mémoire messagerie méthode mise-à-jour notification note
option page panne partition pièce plateforme pile police prise procédure progression
question rangée recherche règle réinitialisation réponse ressource restauration
réunion salle sauvegarde sécurité séance session sortie souris source station
synchronisation table tablette tâche télécommande touche trace vérification version
vidéo visioconférence vue zone école classe-mobile salle-informatique salle-des-professeurs
vie-scolaire direction intendance administration infirmerie bibliothèque médiathèque
cantine cour loge conciergerie équipe collectivité mairie région académie inspection
circulaire note-de-service délégation commission assemblée réunion rentrée
prise-réseau baie armoire-de-brassage fibre box passerelle adresse-ip carte-réseau
borne-wifi clé-usb webcam enceinte tablette-graphique imprimante-3d découpeuse
caméra radio horloge sonnerie alarme badgeuse serrure porte fenêtre lumière
bande-passante latence coupure lenteur saturation surchauffe fuite poussière
photocopie numérisation reliure plastification agrafe feuille enveloppe affiche
signature validation autorisation dérogation exception demande-d'intervention
intervention garantie assurance facture commande livraison réception installation
désinstallation réparation remise-à-zéro réinstallation migration bascule
extinction veille hibernation session-invité ouverture fermeture déconnexion
identification inscription désinscription affectation attribution répartition
évaluation correction notation appréciation compétence progression remédiation
semaine année journée soirée matinée heure minute seconde période fois reprise
fin suite partie moitié totalité majorité minorité plupart série liste pile
personne chose idée question raison cause conséquence solution difficulté
habitude règle loi obligation interdiction permission possibilité priorité
urgence attente patience vigilance prudence attention précaution confiance
mairie préfecture région commune ville campagne rue route avenue place gare
famille mère tutrice enseignante élève-déléguée responsable-légale directrice
principale adjointe secrétaire gestionnaire-adjointe infirmière assistante-sociale
conseillère psychologue-scolaire documentaliste-adjointe technicienne
langue matière discipline mathématique physique chimie biologie géographie histoire
musique technologie éducation-physique lecture écriture orthographe grammaire
sortie-scolaire classe-de-neige journée-portes-ouvertes remise-des-prix kermesse
"""

# -er verbs (regular conjugation generated).
VERBS_ER = """
accepter activer afficher ajouter allumer analyser annuler appuyer archiver attacher
autoriser basculer bloquer brancher calibrer changer charger chercher choisir cliquer
cocher coller commencer compléter configurer confirmer connecter consulter contacter
contrôler copier corriger couper créer débloquer débrancher décocher déconnecter
décompresser déclarer déconnecter déployer déplacer désactiver désinstaller déterminer
déverrouiller diffuser distribuer documenter donner dupliquer éditer effacer emprunter
encadrer enlever enregistrer entrer envoyer éteindre étiqueter exporter fermer filtrer
fixer forcer formater glisser gérer identifier importer imprimer indiquer informer
installer insérer inviter joindre lancer libérer localiser manipuler marquer migrer
modifier montrer noter nettoyer numériser ouvrir paramétrer partager patienter
personnaliser placer planifier plier poser pousser prêter préciser préparer présenter
prévenir programmer projeter protéger quitter ramasser ranger rapprocher rechercher
recharger recommencer reconnecter récupérer redémarrer refermer régler relancer
remplacer remplir renommer renouveler répéter replacer reporter réserver réinitialiser
réinstaller résoudre restaurer rétablir retirer retrouver réveiller saisir sauvegarder
scanner sécuriser sélectionner signaler signer simplifier stocker supprimer surveiller
synchroniser taper télécharger terminer tester tirer tourner transférer transmettre
trier utiliser valider vérifier verrouiller visualiser zoomer alerter ajuster amorcer
approuver assigner associer brancher cadrer calculer capturer centrer clarifier classer
comparer compter conserver convertir déballer décaler décrire demander déposer
dessiner détecter diagnostiquer dicter éclairer économiser écouter éliminer embarquer
emporter encoder endommager enficher entourer épingler équiper escalader estimer
étiqueter évaluer examiner expliquer exploiter familiariser flasher fusionner garder
grouper héberger ignorer illustrer imposer incliner inscrire intégrer interroger
inventorier isoler justifier lister loger masquer mémoriser mesurer mutualiser
nommer notifier observer organiser orienter patcher piloter pointer positionner
pratiquer privilégier profiter proposer prouver purger raccorder rallumer rappeler
rassembler rattacher rebrancher recenser recopier redimensionner réclamer regrouper
relier remarquer remonter remédier renseigner réparer repérer reproduire respecter
resserrer rester retoucher réutiliser rouvrir sauter sensibiliser signaler solliciter
souligner suspendre tamponner tolérer toucher tracer traiter travailler trouver
"""

# Irregular verbs: infinitive, imperative (vous), participle, 3sg, 3pl.
VERBS_IRR = [
    ("faire", "faites", "fait", "fait", "font"),
    ("prendre", "prenez", "pris", "prend", "prennent"),
    ("mettre", "mettez", "mis", "met", "mettent"),
    ("remettre", "remettez", "remis", "remet", "remettent"),
    ("ouvrir", "ouvrez", "ouvert", "ouvre", "ouvrent"),
    ("choisir", "choisissez", "choisi", "choisit", "choisissent"),
    ("saisir", "saisissez", "saisi", "saisit", "saisissent"),
    ("définir", "définissez", "défini", "définit", "définissent"),
    ("remplir", "remplissez", "rempli", "remplit", "remplissent"),
    ("attendre", "attendez", "attendu", "attend", "attendent"),
    ("répondre", "répondez", "répondu", "répond", "répondent"),
    ("descendre", "descendez", "descendu", "descend", "descendent"),
    ("éteindre", "éteignez", "éteint", "éteint", "éteignent"),
    ("joindre", "joignez", "joint", "joint", "joignent"),
    ("voir", "voyez", "vu", "voit", "voient"),
    ("revoir", "revoyez", "revu", "revoit", "revoient"),
    ("lire", "lisez", "lu", "lit", "lisent"),
    ("relire", "relisez", "relu", "relit", "relisent"),
    ("écrire", "écrivez", "écrit", "écrit", "écrivent"),
    ("inscrire", "inscrivez", "inscrit", "inscrit", "inscrivent"),
    ("recevoir", "recevez", "reçu", "reçoit", "reçoivent"),
    ("venir", "venez", "venu", "vient", "viennent"),
    ("revenir", "revenez", "revenu", "revient", "reviennent"),
    ("tenir", "tenez", "tenu", "tient", "tiennent"),
    ("maintenir", "maintenez", "maintenu", "maintient", "maintiennent"),
    ("obtenir", "obtenez", "obtenu", "obtient", "obtiennent"),
    ("partir", "partez", "parti", "part", "partent"),
    ("sortir", "sortez", "sorti", "sort", "sortent"),
    ("servir", "servez", "servi", "sert", "servent"),
    ("dire", "dites", "dit", "dit", "disent"),
    ("interdire", "interdisez", "interdit", "interdit", "interdisent"),
    ("permettre", "permettez", "permis", "permet", "permettent"),
    ("transmettre", "transmettez", "transmis", "transmet", "transmettent"),
    ("reconnaître", "reconnaissez", "reconnu", "reconnaît", "reconnaissent"),
    ("apparaître", "apparaissez", "apparu", "apparaît", "apparaissent"),
    ("disparaître", "disparaissez", "disparu", "disparaît", "disparaissent"),
    ("résoudre", "résolvez", "résolu", "résout", "résolvent"),
    ("conduire", "conduisez", "conduit", "conduit", "conduisent"),
    ("produire", "produisez", "produit", "produit", "produisent"),
    ("réduire", "réduisez", "réduit", "réduit", "réduisent"),
    ("construire", "construisez", "construit", "construit", "construisent"),
    ("suivre", "suivez", "suivi", "suit", "suivent"),
    ("poursuivre", "poursuivez", "poursuivi", "poursuit", "poursuivent"),
    ("vendre", "vendez", "vendu", "vend", "vendent"),
    ("rendre", "rendez", "rendu", "rend", "rendent"),
    ("perdre", "perdez", "perdu", "perd", "perdent"),
    ("tendre", "tendez", "tendu", "tend", "tendent"),
    ("établir", "établissez", "établi", "établit", "établissent"),
    ("fournir", "fournissez", "fourni", "fournit", "fournissent"),
    ("garantir", "garantissez", "garanti", "garantit", "garantissent"),
    ("réussir", "réussissez", "réussi", "réussit", "réussissent"),
    ("agir", "agissez", "agi", "agit", "agissent"),
    ("réagir", "réagissez", "réagi", "réagit", "réagissent"),
    ("avertir", "avertissez", "averti", "avertit", "avertissent"),
    ("finir", "finissez", "fini", "finit", "finissent"),
    ("remplir", "remplissez", "rempli", "remplit", "remplissent"),
    ("convertir", "convertissez", "converti", "convertit", "convertissent"),
    ("rétablir", "rétablissez", "rétabli", "rétablit", "rétablissent"),
]

ADJECTIVES = """
actif administratif ancien automatique bleu bloqué clair commun complet connecté correct
courant dernier disponible distant double électronique entier exact externe faible fixe
fréquent gris habituel identique important inconnu interne jaune lent libre local long
lumineux manuel mobile nécessaire neuf noir nouveau numérique obligatoire orange partagé
pédagogique personnel petit plein portable possible premier principal privé prochain
provisoire public rapide récent rouge sans-fil second sécurisé simple suivant temporaire
total unique urgent utile valide vert vide visible vocal académique administratif
annuel hebdomadaire mensuel quotidien matinal scolaire collectif individuel nominatif
confidentiel sensible protégé chiffré anonyme interdit autorisé recommandé facultatif
compatible incompatible obsolète récent défectueux endommagé cassé fissuré rayé
poussiéreux bruyant silencieux chaud froid humide sec lourd léger fragile solide
étroit large court haut bas central latéral supérieur inférieur arrière avant
gauche droit vertical horizontal principal secondaire intermédiaire final initial
global partiel complet incomplet partagé dédié réservé ouvert fermé verrouillé
allumé éteint branché débranché chargé déchargé actif inactif masqué caché affiché
sonore muet flou net pixelisé décalé inversé étiré coupé figé lent instable stable
fiable capricieux aléatoire intermittent permanent régulier rare exceptionnel
"""

ADVERBS = """
absolument alors après aussitôt automatiquement bien correctement d'abord davantage
directement doucement encore enfin ensuite entièrement environ exactement facilement
fermement généralement immédiatement jamais légèrement lentement longtemps manuellement
maintenant mieux normalement parfois plutôt presque rapidement régulièrement seulement
simplement soigneusement souvent toujours tranquillement vraiment précisément
successivement systématiquement provisoirement définitivement quotidiennement
hebdomadairement ponctuellement prudemment calmement brièvement clairement
"""

CONNECTORS = ["mais", "car", "donc", "puis", "alors que", "tandis que", "puisque",
              "même si", "sauf si", "dès que", "lorsque", "tant que", "avant que", "parce que",
              "cependant", "toutefois", "pourtant", "ensuite", "enfin", "en revanche"]

PREPOSITIONS = ["dans", "sur", "sous", "avec", "sans", "pour", "depuis", "vers", "entre",
                "après", "avant", "pendant", "chez", "par", "contre", "selon", "près de",
                "à côté de", "au-dessus de", "en face de", "au fond de", "le long de"]

FIRST_NAMES = """
Alice Amandine Anne Antoine Arnaud Aurélie Benoît Bernard Camille Caroline Catherine
Cécile Céline Charlotte Christine Claire Clément Corinne David Delphine Denis Didier
Élise Émilie Éric Estelle Fabien Fabienne Florence Franck François Frédéric Gaëlle
Guillaume Hélène Hugo Isabelle Jacques Jean Jérôme Joël Julie Julien Karine Laurence
Laurent Léa Lucie Luc Manon Marc Marie Martine Mathieu Mélanie Michel Nadia Nathalie
Nicolas Olivier Pascal Patrick Paul Philippe Pierre Raphaël Rémi Sabine Samia Sandrine
Sébastien Serge Sophie Stéphane Sylvie Thierry Thomas Valérie Vincent Virginie Yannick
Yasmine Zoé Karim Malik Inès Youssef Fatima Mehdi Amina Kévin Ludovic Gwenaëlle Maëlle
"""

LAST_NAMES = """
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel
Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine
Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier
François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu
Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier Brun
Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche
Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud
Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet Rolland Leclercq
Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez Dupuis Moulin
Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier
Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly
Hervé Schneider Fernandez Legall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel
Ferreira Nguyen Diallo Benali Haddad Traoré Kaya Yilmaz Da-Silva Pereira Costa Rodrigues
"""

SOFTWARE = """
Pronote ENT Scribe KoXo Windows LibreOffice Writer Calc Impress Firefox Chrome Edge
Thunderbird Moodle Éléa Toutatice Skolengo Mon-Bureau-Numérique Eclat ÉcoleDirecte
Pix GAR Lalilo Canopé Éduthèque Capytale Scratch Python Geogebra Audacity VLC GIMP
Inkscape OpenBoard Sankoré ActivInspire SMART-Notebook Classroom Teams Zoom BigBlueButton
Apps-Education Nextcloud Peertube Tube-Éducation Digipad Digiboard Padlet Pearltrees
Genially Canva Kahoot Plickers Quizinière LearningApps Labomep MathALÉA Siecle STS
Affelnet Parcoursup Cyclades Esidoc BCDI PMB Folios Pearson Lelivrescolaire Hatier
Nathan Belin Magnard Bordas Adobe-Reader SumatraPDF 7-Zip Notepad++ VeyonMaster Veyon
iTALC Italc Ubuntu PrimTux Debian Linux Android iPadOS iOS ChromeOS MacOS Jamf Intune
Esclave Amon Eole Hapi Libérer Horus Kwartz SambaEdu Iserv LinuxScribe Zabbix GLPI
OCS-Inventory WSUS PaperCut Watchdoc Xerox Canon Ricoh Konica Kyocera Brother Epson
HP Lexmark Sharp Toshiba Optoma BenQ ViewSonic Promethean Speechi Sahara iiyama
Lenovo Dell Acer Asus Samsung Apple Logitech Microsoft Wacom Huawei Cisco Aruba
Ubiquiti Netgear Stormshield Fortinet Olfeo SquidGuard Dansguardian Ucopia
"""

# Topics: (folder, title, description words, specific nouns, UI labels, problems)
CATEGORIES = [
    ("ent", "ENT et services en ligne", "ENT portail cahier-de-textes messagerie casier espace-documentaire",
     "portail espace casier blog agenda cahier-de-textes actualité service-en-ligne application-mobile connecteur",
     "Mon compte|Mes applications|Casier|Messagerie|Cahier de textes|Espace documentaire|Paramètres du profil",
     "identifiant refusé|page blanche|session expirée|casier plein|lien vers Pronote cassé"),
    ("pronote", "Pronote et vie scolaire", "Pronote appel notes bulletins emploi-du-temps",
     "appel absence retard note bulletin emploi-du-temps cahier-de-textes compétence conseil-de-classe punition",
     "Saisie des absences|Mes données|Notes|Bulletins|Emploi du temps|Cahier de textes|Communication",
     "appel non enregistré|notes invisibles|bulletin vide|emploi du temps décalé|mot de passe refusé"),
    ("wifi", "Wi-Fi et réseau", "Wi-Fi réseau borne portail-captif invités",
     "borne réseau SSID portail-captif invité certificat bande-passante adresse-ip passerelle DNS",
     "Paramètres réseau|Réseaux Wi-Fi|Oublier ce réseau|Propriétés|Connexion automatique",
     "pas d'Internet|réseau invisible|certificat refusé|connexion lente|portail captif absent"),
    ("impression", "Impression et copieurs", "imprimante copieur toner bourrage code-PIN",
     "imprimante copieur toner cartouche bac bourrage file-d'attente pilote code-pin badge",
     "Imprimer|Propriétés de l'imprimante|Recto verso|Agrafage|File d'attente|Libérer mes impressions",
     "bourrage papier|imprimante hors ligne|toner vide|impression bloquée|code PIN refusé"),
    ("videoprojection", "Vidéoprojection et TNI", "vidéoprojecteur TNI VPI calibrage HDMI",
     "vidéoprojecteur TNI VPI stylet télécommande câble-HDMI lampe filtre calibrage source",
     "Source|HDMI 1|Dupliquer|Étendre|Calibrer|Paramètres d'affichage|Mode présentation",
     "aucun signal|image décalée|stylet inactif|lampe usée|image floue"),
    ("tablettes", "Tablettes et classe mobile", "tablette classe-mobile MDM applications chariot",
     "tablette chariot MDM application profil casque stylet chargeur borne-wifi coque",
     "Réglages|Général|Applications gérées|Mode classe|Partage d'écran|Réinitialiser",
     "tablette ne charge pas|application absente|tablette verrouillée|écran figé|batterie gonflée"),
    ("comptes", "Comptes et mots de passe", "compte identifiant mot-de-passe élève personnel",
     "compte identifiant mot-de-passe profil groupe annuaire import délégation verrouillage quota",
     "Gestion des comptes|Réinitialiser le mot de passe|Profils|Groupes|Importer|Déverrouiller",
     "compte bloqué|mot de passe oublié|élève absent de l'annuaire|profil incorrect|quota dépassé"),
    ("serveur", "Serveur pédagogique", "serveur Scribe partage devoirs sauvegarde",
     "serveur partage lecteur-réseau dossier devoir corbeille sauvegarde quota droit restauration",
     "Lecteur U:|Lecteur P:|Distribuer|Ramasser|Corbeille|Versions précédentes",
     "lecteur réseau absent|devoirs non ramassés|fichier supprimé|accès refusé|quota atteint"),
    ("ressources", "Ressources numériques", "GAR manuels licences ressources éditeurs",
     "manuel licence ressource éditeur affectation console abonnement médiathèque exercice corrigé",
     "Console d'affectation|Mes ressources|Ajouter une licence|Affecter|Exporter la liste",
     "manuel introuvable|licence expirée|ressource non affectée|page blanche|accès refusé"),
    ("postes", "Postes de travail Windows", "PC Windows session lenteur mise-à-jour",
     "poste session bureau démarrage mise-à-jour disque antivirus raccourci pilote profil",
     "Gestionnaire des tâches|Paramètres|Windows Update|Explorateur|Panneau de configuration",
     "poste lent|session temporaire|écran bleu|mise à jour bloquée|souris inactive"),
    ("messagerie", "Messagerie et communication", "messagerie courriel pièce-jointe liste-de-diffusion",
     "courriel boîte pièce-jointe liste-de-diffusion signature redirection dossier spam quota carnet",
     "Nouveau message|Répondre à tous|Pièces jointes|Règles de tri|Signature|Transfert",
     "message non reçu|pièce jointe trop lourde|boîte pleine|spam|redirection cassée"),
    ("sauvegarde", "Sauvegarde et fichiers", "sauvegarde clé-USB nuage versions",
     "sauvegarde clé-usb nuage version copie archive synchronisation disque-dur dossier restauration",
     "Synchroniser|Historique des versions|Restaurer|Partager le lien|Corbeille",
     "fichier perdu|clé USB illisible|synchronisation en échec|version écrasée|espace insuffisant"),
    ("visio", "Visioconférence et classe virtuelle", "visioconférence classe-virtuelle micro caméra",
     "visioconférence classe-virtuelle salle-virtuelle micro caméra partage-d'écran modérateur lien invitation enregistrement",
     "Rejoindre|Activer le micro|Partager l'écran|Salles de sous-commission|Enregistrer",
     "pas de son|caméra noire|écho|lien expiré|écran partagé invisible"),
    ("securite", "Sécurité et RGPD", "sécurité RGPD données hameçonnage antivirus",
     "donnée hameçonnage antivirus registre consentement fuite violation chiffrement sauvegarde charte",
     "Signaler un courriel|Analyse antivirus|Registre des traitements|Chiffrer",
     "courriel suspect|virus détecté|fuite de données|clé USB perdue|mot de passe partagé"),
    ("logiciels", "Logiciels pédagogiques", "logiciels installation licences mises-à-jour",
     "logiciel installation licence mise-à-jour paquet version extension dictionnaire modèle module",
     "Centre logiciel|Installer|Désinstaller|Rechercher une mise à jour|À propos",
     "logiciel absent|licence invalide|plantage au démarrage|extension manquante|version obsolète"),
    ("audio", "Son et audio", "son haut-parleurs casques micro enceinte",
     "haut-parleur casque micro enceinte volume amplificateur câble-jack bluetooth pilote mixage",
     "Paramètres du son|Périphérique de sortie|Volume|Mélangeur|Tester le micro",
     "pas de son|grésillement|micro muet|casque non reconnu|écho"),
    ("cdi", "CDI et documentation", "CDI BCDI Esidoc prêts catalogue",
     "catalogue notice prêt réservation lecteur exemplaire périodique abonnement portail fonds",
     "Nouveau prêt|Retour|Recherche avancée|Mon compte lecteur|Réserver",
     "notice introuvable|prêt bloqué|code-barre illisible|portail inaccessible|lecteur inconnu"),
    ("examens", "Examens et certifications", "Pix examens certification brevet épreuves",
     "certification session épreuve candidat surveillant convocation code-session résultat attestation salle",
     "Créer une session|Ajouter des candidats|Finaliser|Télécharger les attestations",
     "candidat introuvable|session non finalisée|code invalide|écran verrouillé|résultat absent"),
    ("robotique", "Robotique et programmation", "robots programmation Scratch Python microcontrôleur",
     "robot carte microcontrôleur capteur moteur programme bloc câble batterie firmware",
     "Téléverser|Connecter la carte|Mettre à jour le firmware|Exporter le projet",
     "carte non détectée|programme non téléversé|moteur immobile|batterie vide|firmware corrompu"),
    ("telephonie", "Téléphonie et interphonie", "téléphones standard interphone messagerie-vocale",
     "téléphone standard poste interphone messagerie-vocale renvoi ligne numéro combiné annuaire",
     "Renvoi d'appel|Messagerie vocale|Annuaire|Transfert|Mode nuit",
     "pas de tonalité|renvoi actif|messagerie pleine|interphone muet|appel coupé"),
    ("affichage", "Affichage dynamique", "affichage écran hall informations",
     "écran diaporama affichage programme message zone lecteur planification modèle flux",
     "Nouvelle diapositive|Planifier|Publier|Aperçu|Zones",
     "écran noir|message absent|diaporama figé|horloge décalée|lecteur hors ligne"),
    ("bureautique", "Bureautique", "traitement-de-texte tableur diaporama formats",
     "document tableur diaporama format modèle style tableau graphique formule export",
     "Enregistrer sous|Exporter en PDF|Styles|Insertion|Révision|Mise en page",
     "fichier illisible|mise en page cassée|formule en erreur|police absente|export impossible"),
    ("numerisation", "Numérisation et scanner", "scanner numérisation PDF OCR",
     "scanner numérisation PDF OCR chargeur résolution dossier-partagé courriel destinataire",
     "Numériser vers|Résolution|Recto verso|Destinataire|Format de fichier",
     "scan non reçu|PDF illisible|chargeur bloqué|dossier introuvable|fichier trop lourd"),
    ("photo-video", "Photo et vidéo", "appareil-photo caméscope montage droit-à-l'image",
     "appareil-photo caméscope carte-mémoire montage vidéo photo autorisation droit-à-l'image trépied batterie",
     "Importer|Exporter|Couper|Titre|Piste audio|Format",
     "carte mémoire pleine|vidéo saccadée|son décalé|export interminable|autorisation manquante"),
    ("impression-3d", "Impression 3D et fabrication", "imprimante-3D filament découpe laser",
     "imprimante-3d filament buse plateau tranchage modèle découpeuse laser fichier calibration",
     "Trancher|Préchauffer|Niveler le plateau|Charger le filament|Lancer l'impression",
     "filament bloqué|pièce décollée|buse bouchée|impression décalée|fichier refusé"),
    ("linux", "Postes Linux et PrimTux", "Linux PrimTux Ubuntu sessions",
     "session paquet terminal dépôt bureau utilisateur mise-à-jour logiciel droit partition",
     "Terminal|Logithèque|Paramètres système|Gestionnaire de fichiers|Mises à jour",
     "session refusée|paquet cassé|écran noir|imprimante absente|son muet"),
    ("materiel", "Matériel et prêts", "prêt matériel inventaire réservation",
     "matériel prêt inventaire réservation étiquette casier ordinateur-portable chargeur sacoche convention",
     "Réserver|Rendre|Signaler une panne|Inventaire|Historique des prêts",
     "matériel manquant|réservation perdue|chargeur absent|étiquette illisible|casier bloqué"),
    ("accessibilite", "Accessibilité et inclusion", "accessibilité AESH synthèse-vocale dys",
     "synthèse-vocale police loupe contraste dictée clavier-adapté ordinateur-AESH PAP PPS aménagement",
     "Loupe|Narrateur|Contraste élevé|Dictée vocale|Options d'ergonomie",
     "synthèse vocale muette|loupe bloquée|dictée inactive|police absente|clavier inversé"),
    ("reseau-filaire", "Réseau filaire et prises", "prises-réseau brassage switch câble",
     "prise-réseau baie brassage switch câble port voyant VLAN adresse-ip bail",
     "Centre Réseau et partage|Propriétés de la carte|Diagnostic|Renouveler l'adresse",
     "câble non branché|voyant éteint|adresse IP invalide|port désactivé|débit faible"),
    ("direction", "Outils de direction", "direction secrétariat courriers délégations",
     "courrier délégation signature circulaire tableau-de-bord enquête statistique parapheur registre",
     "Parapheur|Enquêtes|Tableau de bord|Délégations|Signature électronique",
     "signature refusée|enquête bloquée|délégation expirée|document introuvable|export vide"),
]

ACTION_VERBS = ["Créer", "Réinitialiser", "Débloquer", "Configurer", "Installer", "Supprimer",
                "Modifier", "Restaurer", "Déployer", "Affecter", "Attribuer", "Activer",
                "Désactiver", "Vérifier", "Remplacer", "Nettoyer", "Déclarer", "Paramétrer",
                "Réparer", "Partager", "Exporter", "Importer", "Sauvegarder", "Préparer"]

AUDIENCES = ["enseignant", "eleve", "referent", "direction", "collectivite"]

ERRORS = ["Accès refusé", "Identifiant ou mot de passe incorrect", "Aucun signal",
          "Le serveur ne répond pas", "Délai d'attente dépassé", "Périphérique non reconnu",
          "Espace disque insuffisant", "Votre session a expiré", "Certificat non valide",
          "Impossible de joindre le serveur", "Le fichier est en lecture seule",
          "Mise à jour en cours, ne pas éteindre", "Licence introuvable", "Réseau non identifié",
          "Erreur d'impression", "Connexion refusée", "Ce compte est verrouillé",
          "Le lecteur réseau n'est pas disponible", "Quota dépassé", "Page introuvable"]

CODE_SNIPPETS = {
    "powershell": [
        "ipconfig /all", "ipconfig /release\nipconfig /renew", "gpupdate /force",
        "Get-Printer | Format-Table Name,PrinterStatus", "Restart-Service -Name Spooler",
        "Test-NetConnection {host} -Port 443", "net use U: \\\\{host}\\perso /persistent:yes",
        "Get-ChildItem $env:USERPROFILE\\Documents -Recurse | Measure-Object -Property Length -Sum",
        "Clear-DnsClientCache", "Get-NetAdapter | Where-Object Status -eq 'Up'",
    ],
    "bash": [
        "ping -c 4 {host}", "nmcli device wifi list", "sudo apt update && sudo apt upgrade",
        "lpstat -p -d", "df -h /home", "ls -la ~/Documents", "ip addr show",
        "systemctl status cups", "rsync -av ~/Documents/ /media/{user}/CLE/",
    ],
    "text": [
        "Serveur : {host}\nPartage : perso\nLecteur : U:", "Code PIN : 4 chiffres\nValidité : 1 an",
        "SSID : {ssid}\nSécurité : WPA2-Entreprise\nMéthode : PEAP / MSCHAPv2",
        "Ticket n° {ticket}\nSalle : {room}\nÉquipement : {model}",
    ],
    "ini": [
        "[reseau]\nserveur = {host}\nport = 443\n", "[impression]\nfile = {host}\nrecto_verso = oui\n",
    ],
}
