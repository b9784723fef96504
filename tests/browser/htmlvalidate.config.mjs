// html-validate's configuration for albsim's reports: strict.
// The recommended preset (closing tags and their order, no duplicate ids, permitted content and
// nesting, no implicit close, no raw "<" or "&", no trailing whitespace, valid ids), plus the
// presets for whole documents (doctype, heading levels, references that resolve) and for
// accessibility (names of images and landmarks). Nothing is switched off.
export default {
  root: true,
  extends: ['html-validate:recommended', 'html-validate:document', 'html-validate:a11y'],
  elements: ['html5'],
  rules: {
    // Every element closed explicitly, also where HTML would let it close itself (<li>, <p>, <td>).
    'no-implicit-close': 'error',
    // <svg/> style self-closing is for the inline SVG only: html-validate knows it as foreign content.
    'no-self-closing': ['error', { ignoreForeign: true, ignoreXML: true }],
  },
};
