"""Accessibilité: what was checked, with which tools, and what does not conform yet (layout only)."""

import streamlit as st

st.title("Accessibilité")
st.markdown(
    """
**État : partiellement conforme.** Aucun audit RGAA complet n'a été conduit ; cette déclaration dit
honnêtement ce qui a été vérifié, comment, et ce qui ne l'est pas encore. Elle est mise à jour à
chaque évolution de la carte.

### Ce qui a été vérifié

- **axe-core** (version 4.14.1, lancé par les tests automatiques dans Chromium) sur chaque page —
  Carte, À proximité, Territoires, Proposer une initiative, Connexion — **et à l'intérieur du cadre
  de la carte** : aucune violation « grave » ou « critique ».
- **Langue** : la page et le cadre de la carte sont déclarés en français (`lang="fr"`) ; chaque
  page a un titre distinct ; le cadre de la carte s'intitule « Carte interactive des alliances » ;
  les boutons de zoom sont libellés en français.
- **Clavier** : chaque point et chaque grappe de la carte se rejoint avec Tab et s'ouvre avec
  Entrée ou Espace (un anneau noir montre le focus) ; sous la liste, le champ « Ouvrir la fiche
  de… » mène à la fiche de chaque initiative sans souris. **La liste est l'alternative textuelle de
  la carte** (critère RGAA 7.2) : elle contient toutes les initiatives filtrées, avec les mêmes
  filtres, et s'exporte (CSV, XLSX, GeoJSON, GeoPackage).
- **Contrastes** : textes au-dessus de 4,5:1 (légendes et textes secondaires foncés par rapport au
  thème par défaut de Streamlit) ; points et grappes cerclés de blanc ou de noir sur le fond.
- **Échelle** de la carte en unités métriques seulement.

### Ce qui ne l'est pas encore

- La carte elle-même reste difficile à utiliser avec un lecteur d'écran : elle n'annonce pas ce
  qui change quand on zoome. Utilisez la liste, qui donne la même information.
- Les composants de Streamlit (barre latérale, listes déroulantes, tableaux) ont leurs propres
  libellés, parfois en anglais (« Choose options », info-bulles du tableau) que l'application ne
  peut pas tous traduire.
- Le contraste non textuel de la couleur orange des écosystèmes sur le fond bleu de la mer n'a
  pas été mesuré point par point ; les points sont cerclés pour rester visibles.
- Pas encore de test avec un lecteur d'écran réel (NVDA, VoiceOver) ni d'audit par un organisme.

### Signaler un problème

Chaque fiche propose « Signaler une correction » ; pour une difficulté d'accès, utilisez le même
formulaire (« Proposer une initiative », message pour l'équipe) en décrivant la page et l'outil
utilisé. Nous répondons à l'adresse que vous laissez.
"""
)
