/* pitstop: the command line entry point (placeholder until the core lands). */
int main(void) { return 0; }
