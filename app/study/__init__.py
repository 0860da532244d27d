"""Study mode: study definitions, the crash-safe session log, questionnaires, the DRT, the
Wizard-of-Oz console, the headless scripted run and export. See docs/study.md."""
