// @ts-check
/** rc-edge: promise-based delay shared by the feature modules. @module rc-edge/sleep */

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
