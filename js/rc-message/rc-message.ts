// RingCentral call-control message (spec §2.11) as the SDK hands it to apps:
// the attributes of <Hdr> and <Bdy>. Parsing and building the XML happen in
// the C++ core; this class only carries the values.
export type HDR = Record<string, string>;
export type BDY = Record<string, string>;

export default class RcMessage {
  constructor(
    public headers: HDR,
    public body: BDY,
  ) {}

  /** @internal from the core's ordered attribute pairs */
  static fromPairs(hdr: [string, string][], bdy: [string, string][]): RcMessage {
    return new RcMessage(Object.fromEntries(hdr), Object.fromEntries(bdy));
  }
}
