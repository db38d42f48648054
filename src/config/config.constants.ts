/** Injection token of the typed, validated AppConfig tree. */
export const APP_CONFIG = Symbol('APP_CONFIG');
