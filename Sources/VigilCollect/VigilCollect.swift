// VigilCollect
