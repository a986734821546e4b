// VigilServer
