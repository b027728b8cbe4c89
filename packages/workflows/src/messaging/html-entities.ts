/**
 * The named character references `htmlToText` decodes, with the characters they stand for (the
 * values of the WHATWG HTML table): every entity of HTML 4 (Latin-1, the typographic and special
 * characters, Greek letters, arrows and mathematical symbols), the Latin Extended-A letters of
 * European names (`&Scaron;`, `&lstrok;`, `&ccaron;`...), the HTML 5 punctuation names (`&apos;`,
 * `&comma;`, `&lowbar;`...) and a few more marks seen in letters (`&check;`, `&numero;`, fractions,
 * ligatures). A name is case-sensitive and is decoded only with its semicolon (`&eacute;`).
 *
 * @example
 * HTML_ENTITIES['rsquo'] //=> '’'
 * HTML_ENTITIES['euro'] //=> '€'
 */
export const HTML_ENTITIES: Readonly<Record<string, string>> = Object.freeze({
  nbsp: '\u{A0}', iexcl: '¡', cent: '¢', pound: '£', curren: '¤', yen: '¥', brvbar: '¦', sect: '§', uml: '¨', copy: '©', ordf: 'ª', laquo: '«',
  not: '¬', shy: '\u{AD}', reg: '®', macr: '¯', deg: '°', plusmn: '±', sup2: '²', sup3: '³', acute: '´', micro: 'µ', para: '¶', middot: '·',
  cedil: '¸', sup1: '¹', ordm: 'º', raquo: '»', frac14: '¼', frac12: '½', frac34: '¾', iquest: '¿', Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã',
  Auml: 'Ä', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç', Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í', Icirc: 'Î', Iuml: 'Ï',
  ETH: 'Ð', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ouml: 'Ö', times: '×', Oslash: 'Ø', Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û',
  Uuml: 'Ü', Yacute: 'Ý', THORN: 'Þ', szlig: 'ß', agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç',
  egrave: 'è', eacute: 'é', ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï', eth: 'ð', ntilde: 'ñ', ograve: 'ò', oacute: 'ó',
  ocirc: 'ô', otilde: 'õ', ouml: 'ö', divide: '÷', oslash: 'ø', ugrave: 'ù', uacute: 'ú', ucirc: 'û', uuml: 'ü', yacute: 'ý', thorn: 'þ', yuml: 'ÿ',
  quot: '"', amp: '&', lt: '<', gt: '>', OElig: 'Œ', oelig: 'œ', Scaron: 'Š', scaron: 'š', Yuml: 'Ÿ', circ: 'ˆ', tilde: '˜', ensp: '\u{2002}',
  emsp: '\u{2003}', thinsp: '\u{2009}', zwnj: '\u{200C}', zwj: '\u{200D}', lrm: '\u{200E}', rlm: '\u{200F}', ndash: '–', mdash: '—', lsquo: '‘',
  rsquo: '’', sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', dagger: '†', Dagger: '‡', permil: '‰', lsaquo: '‹', rsaquo: '›', euro: '€', fnof: 'ƒ',
  Alpha: 'Α', Beta: 'Β', Gamma: 'Γ', Delta: 'Δ', Epsilon: 'Ε', Zeta: 'Ζ', Eta: 'Η', Theta: 'Θ', Iota: 'Ι', Kappa: 'Κ', Lambda: 'Λ', Mu: 'Μ', Nu: 'Ν',
  Xi: 'Ξ', Omicron: 'Ο', Pi: 'Π', Rho: 'Ρ', Sigma: 'Σ', Tau: 'Τ', Upsilon: 'Υ', Phi: 'Φ', Chi: 'Χ', Psi: 'Ψ', Omega: 'Ω', alpha: 'α', beta: 'β',
  gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', omicron: 'ο',
  pi: 'π', rho: 'ρ', sigmaf: 'ς', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', thetasym: 'ϑ', upsih: 'ϒ', piv: 'ϖ',
  bull: '•', hellip: '…', prime: '′', Prime: '″', oline: '‾', frasl: '⁄', weierp: '℘', image: 'ℑ', real: 'ℜ', trade: '™', alefsym: 'ℵ', larr: '←',
  uarr: '↑', rarr: '→', darr: '↓', harr: '↔', crarr: '↵', lArr: '⇐', uArr: '⇑', rArr: '⇒', dArr: '⇓', hArr: '⇔', forall: '∀', part: '∂', exist: '∃',
  empty: '∅', nabla: '∇', isin: '∈', notin: '∉', ni: '∋', prod: '∏', sum: '∑', minus: '−', lowast: '∗', radic: '√', prop: '∝', infin: '∞', ang: '∠',
  and: '∧', or: '∨', cap: '∩', cup: '∪', int: '∫', there4: '∴', sim: '∼', cong: '≅', asymp: '≈', ne: '≠', equiv: '≡', le: '≤', ge: '≥', sub: '⊂',
  sup: '⊃', nsub: '⊄', sube: '⊆', supe: '⊇', oplus: '⊕', otimes: '⊗', perp: '⊥', sdot: '⋅', lceil: '⌈', rceil: '⌉', lfloor: '⌊', rfloor: '⌋',
  lang: '⟨', rang: '⟩', loz: '◊', spades: '♠', clubs: '♣', hearts: '♥', diams: '♦', apos: '\u{27}', AMP: '&', LT: '<', GT: '>', QUOT: '"', COPY: '©',
  REG: '®', TRADE: '™', hairsp: '\u{200A}', numsp: '\u{2007}', puncsp: '\u{2008}', ZeroWidthSpace: '\u{200B}', NoBreak: '\u{2060}',
  NonBreakingSpace: '\u{A0}', hyphen: '‐', dash: '‐', horbar: '―', mldr: '…', nldr: '‥', excl: '!', num: '#', dollar: '$', percnt: '%', lpar: '(',
  rpar: ')', ast: '*', plus: '+', comma: ',', period: '.', sol: '/', colon: ':', semi: ';', equals: '=', quest: '?', commat: '@', lsqb: '[',
  lbrack: '[', bsol: '\u{5C}', rsqb: ']', rbrack: ']', Hat: '^', lowbar: '_', grave: '`', lcub: '{', lbrace: '{', verbar: '|', vert: '|', rcub: '}',
  rbrace: '}', half: '½', centerdot: '·', CenterDot: '·', bullet: '•', lsquor: '‚', rsquor: '’', ldquor: '„', rdquor: '”', OpenCurlyQuote: '‘',
  CloseCurlyQuote: '’', OpenCurlyDoubleQuote: '“', CloseCurlyDoubleQuote: '”', check: '✓', checkmark: '✓', cross: '✗', star: '☆', starf: '★',
  bigstar: '★', phone: '☎', female: '♀', male: '♂', sung: '♪', flat: '♭', natur: '♮', natural: '♮', sharp: '♯', copysr: '℗', incare: '℅', numero: '№',
  caret: '⁁', hybull: '⁃', ddagger: '‡', frac13: '⅓', frac23: '⅔', frac15: '⅕', frac25: '⅖', frac35: '⅗', frac45: '⅘', frac16: '⅙', frac56: '⅚',
  frac18: '⅛', frac38: '⅜', frac58: '⅝', frac78: '⅞', squ: '□', square: '□', rect: '▭', marker: '▮', blacksquare: '▪', Amacr: 'Ā', amacr: 'ā',
  Abreve: 'Ă', abreve: 'ă', Aogon: 'Ą', aogon: 'ą', Cacute: 'Ć', cacute: 'ć', Ccirc: 'Ĉ', ccirc: 'ĉ', Cdot: 'Ċ', cdot: 'ċ', Ccaron: 'Č', ccaron: 'č',
  Dcaron: 'Ď', dcaron: 'ď', Dstrok: 'Đ', dstrok: 'đ', Emacr: 'Ē', emacr: 'ē', Edot: 'Ė', edot: 'ė', Eogon: 'Ę', eogon: 'ę', Ecaron: 'Ě', ecaron: 'ě',
  Gcirc: 'Ĝ', gcirc: 'ĝ', Gbreve: 'Ğ', gbreve: 'ğ', Gdot: 'Ġ', gdot: 'ġ', Gcedil: 'Ģ', gacute: 'ǵ', Hcirc: 'Ĥ', hcirc: 'ĥ', Hstrok: 'Ħ', hstrok: 'ħ',
  Itilde: 'Ĩ', itilde: 'ĩ', Imacr: 'Ī', imacr: 'ī', Iogon: 'Į', iogon: 'į', Idot: 'İ', imath: 'ı', IJlig: 'Ĳ', ijlig: 'ĳ', Jcirc: 'Ĵ', jcirc: 'ĵ',
  Kcedil: 'Ķ', kcedil: 'ķ', kgreen: 'ĸ', Lacute: 'Ĺ', lacute: 'ĺ', Lcedil: 'Ļ', lcedil: 'ļ', Lcaron: 'Ľ', lcaron: 'ľ', Lmidot: 'Ŀ', lmidot: 'ŀ',
  Lstrok: 'Ł', lstrok: 'ł', Nacute: 'Ń', nacute: 'ń', Ncedil: 'Ņ', ncedil: 'ņ', Ncaron: 'Ň', ncaron: 'ň', napos: 'ŉ', ENG: 'Ŋ', eng: 'ŋ', Omacr: 'Ō',
  omacr: 'ō', Odblac: 'Ő', odblac: 'ő', Racute: 'Ŕ', racute: 'ŕ', Rcedil: 'Ŗ', rcedil: 'ŗ', Rcaron: 'Ř', rcaron: 'ř', Sacute: 'Ś', sacute: 'ś',
  Scirc: 'Ŝ', scirc: 'ŝ', Scedil: 'Ş', scedil: 'ş', Tcedil: 'Ţ', tcedil: 'ţ', Tcaron: 'Ť', tcaron: 'ť', Tstrok: 'Ŧ', tstrok: 'ŧ', Utilde: 'Ũ',
  utilde: 'ũ', Umacr: 'Ū', umacr: 'ū', Ubreve: 'Ŭ', ubreve: 'ŭ', Uring: 'Ů', uring: 'ů', Udblac: 'Ű', udblac: 'ű', Uogon: 'Ų', uogon: 'ų', Wcirc: 'Ŵ',
  wcirc: 'ŵ', Ycirc: 'Ŷ', ycirc: 'ŷ', Zacute: 'Ź', zacute: 'ź', Zdot: 'Ż', zdot: 'ż', Zcaron: 'Ž', zcaron: 'ž', fflig: 'ﬀ', filig: 'ﬁ', fllig: 'ﬂ',
  ffilig: 'ﬃ', ffllig: 'ﬄ', Tab: '\u{9}', NewLine: '\u{A}', inodot: 'ı', dot: '˙', ring: '˚', ogon: '˛', dblac: '˝', breve: '˘', caron: 'ˇ',
  DiacriticalAcute: '´', leftarrow: '←', rightarrow: '→', uparrow: '↑', downarrow: '↓', LeftArrow: '←', RightArrow: '→', rightleftarrows: '⇄',
  div: '÷', pm: '±', PlusMinus: '±', leq: '≤', geq: '≥',
})
