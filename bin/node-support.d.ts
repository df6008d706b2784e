export declare const ENGINES: string;
export declare const NEEDS: string;
export declare function nodeSupported(version: string): boolean;
