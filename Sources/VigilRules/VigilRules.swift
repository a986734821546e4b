// VigilRules
