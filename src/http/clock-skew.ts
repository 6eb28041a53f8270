/**
 * Clock skew tolerated on the time claims of tokens other parties sign with their own clocks (EHR
 * JWTs, client assertions), in seconds: 60, as Inferno's client checks use. Tokens we mint and
 * verify ourselves get none.
 */
export const CLOCK_SKEW_S = 60;
