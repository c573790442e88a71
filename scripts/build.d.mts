export declare const INPUTS: string[];
export declare const STAMP: string;
export declare const ENTRY: string;
export declare function staleInput(root: string): string | undefined;
export declare function build(root: string, options?: { ifChanged?: boolean }): number;
