// VigilNotify
