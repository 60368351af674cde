if (!customElements.mpkDefineOnce) {
  const define = customElements.define.bind(customElements);
  customElements.define = (name, element, options) => customElements.get(name) || define(name, element, options);
  customElements.mpkDefineOnce = true;
}
var it=globalThis,nt=it.ShadowRoot&&(it.ShadyCSS===void 0||it.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,At=Symbol(),_t=new WeakMap,rt=class{constructor(t,e,s){if(this._$cssResult$=!0,s!==At)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=t,this.t=e}get styleSheet(){let t=this.o,e=this.t;if(nt&&t===void 0){let s=e!==void 0&&e.length===1;s&&(t=_t.get(e)),t===void 0&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),s&&_t.set(e,t))}return t}toString(){return this.cssText}},St=i=>new rt(typeof i=="string"?i:i+"",void 0,At);var Et=(i,t)=>{if(nt)i.adoptedStyleSheets=t.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of t){let s=document.createElement("style"),r=it.litNonce;r!==void 0&&s.setAttribute("nonce",r),s.textContent=e.cssText,i.appendChild(s)}},dt=nt?i=>i:i=>i instanceof CSSStyleSheet?(t=>{let e="";for(let s of t.cssRules)e+=s.cssText;return St(e)})(i):i;var{is:qt,defineProperty:Wt,getOwnPropertyDescriptor:Xt,getOwnPropertyNames:Gt,getOwnPropertySymbols:Ft,getPrototypeOf:Kt}=Object,R=globalThis,Ct=R.trustedTypes,Jt=Ct?Ct.emptyScript:"",Zt=R.reactiveElementPolyfillSupport,X=(i,t)=>i,G={toAttribute(i,t){switch(t){case Boolean:i=i?Jt:null;break;case Object:case Array:i=i==null?i:JSON.stringify(i)}return i},fromAttribute(i,t){let e=i;switch(t){case Boolean:e=i!==null;break;case Number:e=i===null?null:Number(i);break;case Object:case Array:try{e=JSON.parse(i)}catch{e=null}}return e}},ot=(i,t)=>!qt(i,t),Pt={attribute:!0,type:String,converter:G,reflect:!1,useDefault:!1,hasChanged:ot};Symbol.metadata??(Symbol.metadata=Symbol("metadata")),R.litPropertyMetadata??(R.litPropertyMetadata=new WeakMap);var D=class extends HTMLElement{static addInitializer(t){this._$Ei(),(this.l??(this.l=[])).push(t)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(t,e=Pt){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(t,e),!e.noAccessor){let s=Symbol(),r=this.getPropertyDescriptor(t,s,e);r!==void 0&&Wt(this.prototype,t,r)}}static getPropertyDescriptor(t,e,s){let{get:r,set:o}=Xt(this.prototype,t)??{get(){return this[e]},set(n){this[e]=n}};return{get:r,set(n){let a=r?.call(this);o?.call(this,n),this.requestUpdate(t,a,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(t){return this.elementProperties.get(t)??Pt}static _$Ei(){if(this.hasOwnProperty(X("elementProperties")))return;let t=Kt(this);t.finalize(),t.l!==void 0&&(this.l=[...t.l]),this.elementProperties=new Map(t.elementProperties)}static finalize(){if(this.hasOwnProperty(X("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(X("properties"))){let e=this.properties,s=[...Gt(e),...Ft(e)];for(let r of s)this.createProperty(r,e[r])}let t=this[Symbol.metadata];if(t!==null){let e=litPropertyMetadata.get(t);if(e!==void 0)for(let[s,r]of e)this.elementProperties.set(s,r)}this._$Eh=new Map;for(let[e,s]of this.elementProperties){let r=this._$Eu(e,s);r!==void 0&&this._$Eh.set(r,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(t){let e=[];if(Array.isArray(t)){let s=new Set(t.flat(1/0).reverse());for(let r of s)e.unshift(dt(r))}else t!==void 0&&e.push(dt(t));return e}static _$Eu(t,e){let s=e.attribute;return s===!1?void 0:typeof s=="string"?s:typeof t=="string"?t.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(t=>this.enableUpdating=t),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(t=>t(this))}addController(t){(this._$EO??(this._$EO=new Set)).add(t),this.renderRoot!==void 0&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}_$E_(){let t=new Map,e=this.constructor.elementProperties;for(let s of e.keys())this.hasOwnProperty(s)&&(t.set(s,this[s]),delete this[s]);t.size>0&&(this._$Ep=t)}createRenderRoot(){let t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return Et(t,this.constructor.elementStyles),t}connectedCallback(){this.renderRoot??(this.renderRoot=this.createRenderRoot()),this.enableUpdating(!0),this._$EO?.forEach(t=>t.hostConnected?.())}enableUpdating(t){}disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}attributeChangedCallback(t,e,s){this._$AK(t,s)}_$ET(t,e){let s=this.constructor.elementProperties.get(t),r=this.constructor._$Eu(t,s);if(r!==void 0&&s.reflect===!0){let o=(s.converter?.toAttribute!==void 0?s.converter:G).toAttribute(e,s.type);this._$Em=t,o==null?this.removeAttribute(r):this.setAttribute(r,o),this._$Em=null}}_$AK(t,e){let s=this.constructor,r=s._$Eh.get(t);if(r!==void 0&&this._$Em!==r){let o=s.getPropertyOptions(r),n=typeof o.converter=="function"?{fromAttribute:o.converter}:o.converter?.fromAttribute!==void 0?o.converter:G;this._$Em=r;let a=n.fromAttribute(e,o.type);this[r]=a??this._$Ej?.get(r)??a,this._$Em=null}}requestUpdate(t,e,s,r=!1,o){if(t!==void 0){let n=this.constructor;if(r===!1&&(o=this[t]),s??(s=n.getPropertyOptions(t)),!((s.hasChanged??ot)(o,e)||s.useDefault&&s.reflect&&o===this._$Ej?.get(t)&&!this.hasAttribute(n._$Eu(t,s))))return;this.C(t,e,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(t,e,{useDefault:s,reflect:r,wrapped:o},n){s&&!(this._$Ej??(this._$Ej=new Map)).has(t)&&(this._$Ej.set(t,n??e??this[t]),o!==!0||n!==void 0)||(this._$AL.has(t)||(this.hasUpdated||s||(e=void 0),this._$AL.set(t,e)),r===!0&&this._$Em!==t&&(this._$Eq??(this._$Eq=new Set)).add(t))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let t=this.scheduleUpdate();return t!=null&&await t,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??(this.renderRoot=this.createRenderRoot()),this._$Ep){for(let[r,o]of this._$Ep)this[r]=o;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[r,o]of s){let{wrapped:n}=o,a=this[r];n!==!0||this._$AL.has(r)||a===void 0||this.C(r,void 0,o,a)}}let t=!1,e=this._$AL;try{t=this.shouldUpdate(e),t?(this.willUpdate(e),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(e)):this._$EM()}catch(s){throw t=!1,this._$EM(),s}t&&this._$AE(e)}willUpdate(t){}_$AE(t){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(t)),this.updated(t)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(t){return!0}update(t){this._$Eq&&(this._$Eq=this._$Eq.forEach(e=>this._$ET(e,this[e]))),this._$EM()}updated(t){}firstUpdated(t){}};D.elementStyles=[],D.shadowRootOptions={mode:"open"},D[X("elementProperties")]=new Map,D[X("finalized")]=new Map,Zt?.({ReactiveElement:D}),(R.reactiveElementVersions??(R.reactiveElementVersions=[])).push("2.1.2");var K=globalThis,zt=i=>i,at=K.trustedTypes,Dt=at?at.createPolicy("lit-html",{createHTML:i=>i}):void 0,Tt="$lit$",U=`lit$${Math.random().toFixed(9).slice(2)}$`,Lt="?"+U,Qt=`<${Lt}>`,j=document,J=()=>j.createComment(""),Z=i=>i===null||typeof i!="object"&&typeof i!="function",bt=Array.isArray,Yt=i=>bt(i)||typeof i?.[Symbol.iterator]=="function",mt=`[ 	
\f\r]`,F=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Ot=/-->/g,Nt=/>/g,L=RegExp(`>|${mt}(?:([^\\s"'>=/]+)(${mt}*=${mt}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Rt=/'/g,Ut=/"/g,Ht=/^(?:script|style|textarea|title)$/i,vt=i=>(t,...e)=>({_$litType$:i,strings:t,values:e}),jt=vt(1),$t=vt(2),fe=vt(3),V=Symbol.for("lit-noChange"),k=Symbol.for("lit-nothing"),Mt=new WeakMap,H=j.createTreeWalker(j,129);function Vt(i,t){if(!bt(i)||!i.hasOwnProperty("raw"))throw Error("invalid template strings array");return Dt!==void 0?Dt.createHTML(t):t}var te=(i,t)=>{let e=i.length-1,s=[],r,o=t===2?"<svg>":t===3?"<math>":"",n=F;for(let a=0;a<e;a++){let l=i[a],u,g,d=-1,x=0;for(;x<l.length&&(n.lastIndex=x,g=n.exec(l),g!==null);)x=n.lastIndex,n===F?g[1]==="!--"?n=Ot:g[1]!==void 0?n=Nt:g[2]!==void 0?(Ht.test(g[2])&&(r=RegExp("</"+g[2],"g")),n=L):g[3]!==void 0&&(n=L):n===L?g[0]===">"?(n=r??F,d=-1):g[1]===void 0?d=-2:(d=n.lastIndex-g[2].length,u=g[1],n=g[3]===void 0?L:g[3]==='"'?Ut:Rt):n===Ut||n===Rt?n=L:n===Ot||n===Nt?n=F:(n=L,r=void 0);let _=n===L&&i[a+1].startsWith("/>")?" ":"";o+=n===F?l+Qt:d>=0?(s.push(u),l.slice(0,d)+Tt+l.slice(d)+U+_):l+U+(d===-2?a:_)}return[Vt(i,o+(i[e]||"<?>")+(t===2?"</svg>":t===3?"</math>":"")),s]},Q=class i{constructor({strings:t,_$litType$:e},s){let r;this.parts=[];let o=0,n=0,a=t.length-1,l=this.parts,[u,g]=te(t,e);if(this.el=i.createElement(u,s),H.currentNode=this.el.content,e===2||e===3){let d=this.el.content.firstChild;d.replaceWith(...d.childNodes)}for(;(r=H.nextNode())!==null&&l.length<a;){if(r.nodeType===1){if(r.hasAttributes())for(let d of r.getAttributeNames())if(d.endsWith(Tt)){let x=g[n++],_=r.getAttribute(d).split(U),C=/([.?@])?(.*)/.exec(x);l.push({type:1,index:o,name:C[2],strings:_,ctor:C[1]==="."?ut:C[1]==="?"?gt:C[1]==="@"?yt:W}),r.removeAttribute(d)}else d.startsWith(U)&&(l.push({type:6,index:o}),r.removeAttribute(d));if(Ht.test(r.tagName)){let d=r.textContent.split(U),x=d.length-1;if(x>0){r.textContent=at?at.emptyScript:"";for(let _=0;_<x;_++)r.append(d[_],J()),H.nextNode(),l.push({type:2,index:++o});r.append(d[x],J())}}}else if(r.nodeType===8)if(r.data===Lt)l.push({type:2,index:o});else{let d=-1;for(;(d=r.data.indexOf(U,d+1))!==-1;)l.push({type:7,index:o}),d+=U.length-1}o++}}static createElement(t,e){let s=j.createElement("template");return s.innerHTML=t,s}};function q(i,t,e=i,s){if(t===V)return t;let r=s!==void 0?e._$Co?.[s]:e._$Cl,o=Z(t)?void 0:t._$litDirective$;return r?.constructor!==o&&(r?._$AO?.(!1),o===void 0?r=void 0:(r=new o(i),r._$AT(i,e,s)),s!==void 0?(e._$Co??(e._$Co=[]))[s]=r:e._$Cl=r),r!==void 0&&(t=q(i,r._$AS(i,t.values),r,s)),t}var ft=class{constructor(t,e){this._$AV=[],this._$AN=void 0,this._$AD=t,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(t){let{el:{content:e},parts:s}=this._$AD,r=(t?.creationScope??j).importNode(e,!0);H.currentNode=r;let o=H.nextNode(),n=0,a=0,l=s[0];for(;l!==void 0;){if(n===l.index){let u;l.type===2?u=new Y(o,o.nextSibling,this,t):l.type===1?u=new l.ctor(o,l.name,l.strings,this,t):l.type===6&&(u=new xt(o,this,t)),this._$AV.push(u),l=s[++a]}n!==l?.index&&(o=H.nextNode(),n++)}return H.currentNode=j,r}p(t){let e=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(t,s,e),e+=s.strings.length-2):s._$AI(t[e])),e++}},Y=class i{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(t,e,s,r){this.type=2,this._$AH=k,this._$AN=void 0,this._$AA=t,this._$AB=e,this._$AM=s,this.options=r,this._$Cv=r?.isConnected??!0}get parentNode(){let t=this._$AA.parentNode,e=this._$AM;return e!==void 0&&t?.nodeType===11&&(t=e.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(t,e=this){t=q(this,t,e),Z(t)?t===k||t==null||t===""?(this._$AH!==k&&this._$AR(),this._$AH=k):t!==this._$AH&&t!==V&&this._(t):t._$litType$!==void 0?this.$(t):t.nodeType!==void 0?this.T(t):Yt(t)?this.k(t):this._(t)}O(t){return this._$AA.parentNode.insertBefore(t,this._$AB)}T(t){this._$AH!==t&&(this._$AR(),this._$AH=this.O(t))}_(t){this._$AH!==k&&Z(this._$AH)?this._$AA.nextSibling.data=t:this.T(j.createTextNode(t)),this._$AH=t}$(t){let{values:e,_$litType$:s}=t,r=typeof s=="number"?this._$AC(t):(s.el===void 0&&(s.el=Q.createElement(Vt(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===r)this._$AH.p(e);else{let o=new ft(r,this),n=o.u(this.options);o.p(e),this.T(n),this._$AH=o}}_$AC(t){let e=Mt.get(t.strings);return e===void 0&&Mt.set(t.strings,e=new Q(t)),e}k(t){bt(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,s,r=0;for(let o of t)r===e.length?e.push(s=new i(this.O(J()),this.O(J()),this,this.options)):s=e[r],s._$AI(o),r++;r<e.length&&(this._$AR(s&&s._$AB.nextSibling,r),e.length=r)}_$AR(t=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);t!==this._$AB;){let s=zt(t).nextSibling;zt(t).remove(),t=s}}setConnected(t){this._$AM===void 0&&(this._$Cv=t,this._$AP?.(t))}},W=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(t,e,s,r,o){this.type=1,this._$AH=k,this._$AN=void 0,this.element=t,this.name=e,this._$AM=r,this.options=o,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=k}_$AI(t,e=this,s,r){let o=this.strings,n=!1;if(o===void 0)t=q(this,t,e,0),n=!Z(t)||t!==this._$AH&&t!==V,n&&(this._$AH=t);else{let a=t,l,u;for(t=o[0],l=0;l<o.length-1;l++)u=q(this,a[s+l],e,l),u===V&&(u=this._$AH[l]),n||(n=!Z(u)||u!==this._$AH[l]),u===k?t=k:t!==k&&(t+=(u??"")+o[l+1]),this._$AH[l]=u}n&&!r&&this.j(t)}j(t){t===k?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,t??"")}},ut=class extends W{constructor(){super(...arguments),this.type=3}j(t){this.element[this.name]=t===k?void 0:t}},gt=class extends W{constructor(){super(...arguments),this.type=4}j(t){this.element.toggleAttribute(this.name,!!t&&t!==k)}},yt=class extends W{constructor(t,e,s,r,o){super(t,e,s,r,o),this.type=5}_$AI(t,e=this){if((t=q(this,t,e,0)??k)===V)return;let s=this._$AH,r=t===k&&s!==k||t.capture!==s.capture||t.once!==s.once||t.passive!==s.passive,o=t!==k&&(s===k||r);r&&this.element.removeEventListener(this.name,this,s),o&&this.element.addEventListener(this.name,this,t),this._$AH=t}handleEvent(t){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}},xt=class{constructor(t,e,s){this.element=t,this.type=6,this._$AN=void 0,this._$AM=e,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(t){q(this,t)}};var ee=K.litHtmlPolyfillSupport;ee?.(Q,Y),(K.litHtmlVersions??(K.litHtmlVersions=[])).push("3.3.3");var Bt=(i,t,e)=>{let s=e?.renderBefore??t,r=s._$litPart$;if(r===void 0){let o=e?.renderBefore??null;s._$litPart$=r=new Y(t.insertBefore(J(),o),o,void 0,e??{})}return r._$AI(i),r};var tt=globalThis,M=class extends D{constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){var e;let t=super.createRenderRoot();return(e=this.renderOptions).renderBefore??(e.renderBefore=t.firstChild),t}update(t){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(t),this._$Do=Bt(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return V}};M._$litElement$=!0,M.finalized=!0,tt.litElementHydrateSupport?.({LitElement:M});var se=tt.litElementPolyfillSupport;se?.({LitElement:M});(tt.litElementVersions??(tt.litElementVersions=[])).push("4.2.2");var It=i=>(t,e)=>{e!==void 0?e.addInitializer(()=>{customElements.define(i,t)}):customElements.define(i,t)};var ie={attribute:!0,type:String,converter:G,reflect:!1,hasChanged:ot},re=(i=ie,t,e)=>{let{kind:s,metadata:r}=e,o=globalThis.litPropertyMetadata.get(r);if(o===void 0&&globalThis.litPropertyMetadata.set(r,o=new Map),s==="setter"&&((i=Object.create(i)).wrapped=!0),o.set(e.name,i),s==="accessor"){let{name:n}=e;return{set(a){let l=t.get.call(this);t.set.call(this,a),this.requestUpdate(n,l,i,!0,a)},init(a){return a!==void 0&&this.C(n,void 0,i,a),a}}}if(s==="setter"){let{name:n}=e;return function(a){let l=this[n];t.call(this,a),this.requestUpdate(n,l,i,!0,a)}}throw Error("Unsupported decorator location: "+s)};function lt(i){return(t,e)=>typeof e=="object"?re(i,t,e):((s,r,o)=>{let n=r.hasOwnProperty(o);return r.constructor.createProperty(o,s),n?Object.getOwnPropertyDescriptor(r,o):void 0})(i,t,e)}var wt=(i,t=0)=>({type:"i2c",signal:i,bus:t}),O=(i,t=0)=>({type:"spi",signal:i,bus:t}),et=(i,t=0)=>({type:"usart",signal:i,bus:t});var kt=function(i,t,e,s){var r=arguments.length,o=r<3?t:s===null?s=Object.getOwnPropertyDescriptor(t,e):s,n;if(typeof Reflect=="object"&&typeof Reflect.decorate=="function")o=Reflect.decorate(i,t,e,s);else for(var a=i.length-1;a>=0;a--)(n=i[a])&&(o=(r<3?n(o):r>3?n(t,e,o):n(t,e))||o);return r>3&&o&&Object.defineProperty(t,e,o),o},pt=class extends M{constructor(){super(...arguments),this.led1=!1,this.ledPower=!1,this.pinInfo=[{name:"VIN",x:5,y:158.5,signals:[{type:"power",signal:"VCC"}]},{name:"GND.2",x:5,y:149,signals:[{type:"power",signal:"GND"}]},{name:"D13",x:5,y:139.5,signals:[O("MOSI",0),{type:"pwm"}]},{name:"D12",x:5,y:130.4,signals:[O("MISO",0),{type:"pwm"}]},{name:"D14",x:5,y:120,signals:[O("SCK",0),{type:"pwm"}]},{name:"D27",x:5,y:110.8,signals:[{type:"pwm"}]},{name:"D26",x:5,y:101,signals:[{type:"pwm"}]},{name:"D25",x:5,y:91.3,signals:[{type:"pwm"}]},{name:"D33",x:5,y:81.7,signals:[{type:"pwm"}]},{name:"D32",x:5,y:72.2,signals:[{type:"pwm"}]},{name:"D35",x:5,y:62.9,signals:[]},{name:"D34",x:5,y:53.1,signals:[]},{name:"VN",x:5,y:44,signals:[]},{name:"VP",x:5,y:34,signals:[]},{name:"EN",x:5,y:24,signals:[]},{name:"3V3",x:101.3,y:158.5,signals:[{type:"power",signal:"VCC",voltage:3.3}]},{name:"GND.1",x:101.3,y:149,signals:[{type:"power",signal:"GND"}]},{name:"D15",x:101.3,y:139.5,signals:[O("SS",0),{type:"pwm"}]},{name:"D2",x:101.3,y:130.4,signals:[{type:"pwm"}]},{name:"D4",x:101.3,y:120,signals:[{type:"pwm"}]},{name:"RX2",x:101.3,y:110.8,signals:[et("RX",2),{type:"pwm"}]},{name:"TX2",x:101.3,y:101,signals:[et("TX",2),{type:"pwm"}]},{name:"D5",x:101.3,y:91.3,signals:[O("SS",1),{type:"pwm"}]},{name:"D18",x:101.3,y:81.7,signals:[O("SCK",1),{type:"pwm"}]},{name:"D19",x:101.3,y:72.2,signals:[O("MISO",1),{type:"pwm"}]},{name:"D21",x:101.3,y:62.9,signals:[wt("SDA"),{type:"pwm"}]},{name:"RX0",x:101.3,y:53.1,signals:[et("RX",0),{type:"pwm"}]},{name:"TX0",x:101.3,y:44,signals:[et("TX",0),{type:"pwm"}]},{name:"D22",x:101.3,y:34,signals:[wt("SCL"),{type:"pwm"}]},{name:"D23",x:101.3,y:24,signals:[O("MOSI",1),{type:"pwm"}]}]}render(){let{ledPower:t,led1:e}=this;return jt`
      <svg
        width="28.2mm"
        height="54.053mm"
        version="1.1"
        viewBox="0 0 107 201"
        xmlns="http://www.w3.org/2000/svg"
      >
        <defs>
          <pattern id="pin-pattern" height="4.6" width="5" patternUnits="userSpaceOnUse">
            <path
              d="m3.5 2.85c0.268 1.82e-4 0.525-0.106 0.716-0.296 0.187-0.19 0.296-0.445 0.297-0.713l5.7e-4 -0.836c1.82e-4 -0.268-0.109-0.525-0.296-0.716-0.19-0.19-0.447-0.296-0.715-0.297l-3.5-0.0024-0.0019 2.85z"
              fill="#d1c479"
              stroke-width="3.11"
            />
          </pattern>
          <pattern id="small-pin-pattern" height="4.6" width="2.5" patternUnits="userSpaceOnUse">
            <path
              d="m1.4 1.32c0-0.138-0.0547-0.271-0.153-0.37-0.098-0.0965-0.23-0.153-0.368-0.153h-0.432c-0.138 0-0.271 0.0563-0.37 0.153-0.098 0.098-0.153 0.231-0.153 0.37v1.81h1.47z"
              fill="#f5f9f0"
              stroke-width="1.61"
            />
          </pattern>
          <filter id="ledFilter" x="-0.8" y="-0.8" height="5.2" width="5.8">
            <feGaussianBlur stdDeviation="2" />
          </filter>
        </defs>

        <!-- Board -->
        <path
          d="m7.56 0c-4.19 0-7.56 3.37-7.56 7.56v181c0 4.19 3.37 7.56 7.56 7.56h91.5c4.19 0 7.56-3.37 7.56-7.56v-181c0-4.19-3.37-7.56-7.56-7.56zm1.11 2.5a6.24 6.24 0 0 1 6.24 6.24 6.24 6.24 0 0 1-6.24 6.24 6.24 6.24 0 0 1-6.24-6.24 6.24 6.24 0 0 1 6.24-6.24zm88.9 0.217a6.24 6.24 0 0 1 6.24 6.24 6.24 6.24 0 0 1-6.24 6.24 6.24 6.24 0 0 1-6.24-6.24 6.24 6.24 0 0 1 6.24-6.24zm3.75 15.8a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.5 0.438a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.6 9.15a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.8 0.344a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.8 9.7a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.6 0.27a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.6 9.24a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.6 0.0391a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm0.0762 9.58a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.6 0.0371a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm0 9.58a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.6 0.422a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm0 9.51a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.5 0.115a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.4 9.54a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.5 0.0391a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.5 9.7a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.5 0.346a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.7 9.35a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.7 0.154a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.6 9.43a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.7 0.23a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm0 9.58a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.7 0.23a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.7 9.35a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.7 0.152a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.8 9.51a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.7 0.154a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm96.7 9.43a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm-96.7 0.152a3.4 3.4 0 0 1 3.4 3.4 3.4 3.4 0 0 1-3.4 3.4 3.4 3.4 0 0 1-3.4-3.4 3.4 3.4 0 0 1 3.4-3.4zm3.79 24.7a6.24 6.24 0 0 1 6.24 6.24 6.24 6.24 0 0 1-6.24 6.24 6.24 6.24 0 0 1-6.24-6.24 6.24 6.24 0 0 1 6.24-6.24zm88.7 0.217a6.24 6.24 0 0 1 6.24 6.24 6.24 6.24 0 0 1-6.24 6.24 6.24 6.24 0 0 1-6.24-6.24 6.24 6.24 0 0 1 6.24-6.24z"
          fill="#1a1a1a"
          fill-rule="evenodd"
        />

        <!-- ESP32 Chip -->
        <rect transform="translate(85,34)" width="4.8" height="55" fill="url(#pin-pattern)"></rect>
        <rect
          transform="translate(20.5,87) rotate(180)"
          width="4.8"
          height="55"
          fill="url(#pin-pattern)"
        ></rect>
        <rect
          transform="translate(80,98) rotate(90)"
          width="4.8"
          height="55"
          fill="url(#pin-pattern)"
        ></rect>
        <rect x="20" y="24.8" width="65.6" height="73.3" fill="#808080" fill-rule="evenodd" />

        <!-- Regulator -->
        <g fill="#ececec" fill-rule="evenodd">
          <rect x="19.3" y="143" width="7.21" height="11.5" />
          <rect x="39.8" y="139" width="6.59" height="3.07" />
          <rect x="40" y="147" width="6.59" height="3.07" />
          <rect x="40.2" y="156" width="6.59" height="3.07" />
        </g>
        <rect x="26.3" y="137" width="14" height="24.7" fill="#4d4d4d" fill-rule="evenodd" />

        <!-- Buttons -->
        <g stroke-width="1.24">
          <rect x="77.6" y="177" width="11.1" height="9.96" fill="#cecccb" />
          <circle cx="83.2" cy="182" r="3.48" fill="#ffdc8e" />
          <g fill="#cecccb">
            <path d="m80.7 190h-1.34v1.64c0 0.734 0.595 1.33 1.33 1.33h0.0099z" />
            <path d="m80.7 175h-1.34v-1.64c0-0.734 0.595-1.33 1.33-1.33h0.0099z" />
            <rect x="81" y="190" width="5.23" height="2.59" />
            <rect x="81" y="173" width="5.23" height="2.59" />
            <path
              d="m84.5 175c0.062 0 0.122 0.0248 0.166 0.0682 0.0434 0.0446 0.0682 0.104 0.0682 0.167 0 0.134 0.0533 0.263 0.149 0.358 0.0955 0.0942 0.224 0.148 0.358 0.148h0.0236c0.141 0 0.277-0.0558 0.376-0.155s0.155-0.234 0.155-0.374v-0.564h2.16v3.09h-1.69v0.744h-2.16v-0.392h-1.87v0.392h-2.16v-0.744h-1.69v-3.09h2.16v0.564c0 0.14 0.0558 0.275 0.155 0.374s0.234 0.155 0.376 0.155h0.0236c0.135 0 0.263-0.0533 0.358-0.148 0.0955-0.0955 0.149-0.224 0.149-0.358 0-0.0632 0.0248-0.123 0.0682-0.167 0.0446-0.0434 0.104-0.0682 0.167-0.0682z"
            />
            <path
              d="m81.8 190c-0.0632 0-0.123-0.0248-0.167-0.0694-0.0434-0.0434-0.0682-0.103-0.0682-0.166 0-0.134-0.0533-0.263-0.149-0.358-0.0955-0.0955-0.223-0.149-0.358-0.149h-0.0236c-0.141 0-0.277 0.0558-0.376 0.156-0.0992 0.0992-0.155 0.234-0.155 0.374v0.564h-2.16v-3.09h1.69v-0.745h2.16v0.393h1.87v-0.393h2.16v0.745h1.69v3.09h-2.16v-0.564c0-0.14-0.0558-0.275-0.155-0.374-0.0992-0.1-0.234-0.156-0.376-0.156h-0.0236c-0.134 0-0.263 0.0533-0.358 0.149s-0.149 0.224-0.149 0.358c0 0.0632-0.0248 0.123-0.0682 0.166-0.0446 0.0446-0.104 0.0694-0.166 0.0694z"
            />
          </g>
        </g>
        <g stroke-width="1.24">
          <rect x="17.7" y="177" width="11.1" height="9.96" fill="#cecccb" />
          <circle cx="23.3" cy="182" r="3.48" fill="#ffdc8e" />
          <g fill="#cecccb">
            <path d="m20.8 189h-1.34v1.64c0 0.734 0.595 1.33 1.33 1.33h0.0099z" />
            <path d="m20.8 175h-1.34v-1.64c0-0.734 0.595-1.33 1.33-1.33h0.0099z" />
            <rect x="21" y="189" width="5.23" height="2.59" />
            <rect x="21" y="172" width="5.23" height="2.59" />
            <path
              d="m24.5 175c0.062 0 0.122 0.0248 0.166 0.0682 0.0434 0.0446 0.0682 0.104 0.0682 0.167 0 0.134 0.0533 0.263 0.149 0.358 0.0955 0.0942 0.224 0.148 0.358 0.148h0.0236c0.141 0 0.277-0.0558 0.376-0.155s0.155-0.234 0.155-0.374v-0.564h2.16v3.09h-1.69v0.744h-2.16v-0.392h-1.87v0.392h-2.16v-0.744h-1.69v-3.09h2.16v0.564c0 0.14 0.0558 0.275 0.155 0.374s0.234 0.155 0.376 0.155h0.0236c0.135 0 0.263-0.0533 0.358-0.148 0.0955-0.0955 0.149-0.224 0.149-0.358 0-0.0632 0.0248-0.123 0.0682-0.167 0.0446-0.0434 0.104-0.0682 0.167-0.0682z"
            />
            <path
              d="m21.9 189c-0.0632 0-0.123-0.0248-0.167-0.0694-0.0434-0.0434-0.0682-0.103-0.0682-0.166 0-0.134-0.0533-0.263-0.149-0.358-0.0955-0.0955-0.223-0.149-0.358-0.149h-0.0236c-0.141 0-0.277 0.0558-0.376 0.156-0.0992 0.0992-0.155 0.234-0.155 0.374v0.564h-2.16v-3.09h1.69v-0.745h2.16v0.393h1.87v-0.393h2.16v0.745h1.69v3.09h-2.16v-0.564c0-0.14-0.0558-0.275-0.155-0.374-0.0992-0.1-0.234-0.156-0.376-0.156h-0.0236c-0.134 0-0.263 0.0533-0.358 0.149s-0.149 0.224-0.149 0.358c0 0.0632-0.0248 0.123-0.0682 0.166-0.0446 0.0446-0.104 0.0694-0.166 0.0694z"
            />
          </g>
        </g>

        <!-- USB Connection -->
        <path
          d="m66.4 197 1.06 2.24c0.0651 0.142 0.0731 0.302 0.0207 0.448-0.0525 0.147-0.16 0.266-0.301 0.332-0.14 0.0665-0.302 0.0744-0.448 0.022-0.146-0.0525-0.266-0.16-0.332-0.301l-0.724-1.54-3e-3 0.207c-6e-3 0.488-0.206 0.955-0.556 1.3-0.35 0.342-0.821 0.529-1.31 0.522l-22.2-0.29c-0.489-6e-3 -0.955-0.206-1.3-0.556-0.341-0.35-0.529-0.821-0.522-1.31l3e-3 -0.207-0.764 1.52c-0.0701 0.14-0.192 0.244-0.34 0.292-0.147 0.0486-0.307 0.0365-0.446-0.0336l-1e-3 -1e-5c-0.138-0.0701-0.244-0.192-0.292-0.34-0.0486-0.147-0.0365-0.307 0.0336-0.447l1.11-2.21-0.602-8e-3 0.269-20.6 28.2 0.369-0.269 20.6z"
          fill="#cecccb"
          stroke-width="1.26"
        />
        <path
          d="m60.7 177-0.0236 1.8c-7.9e-4 0.0607 0.0301 0.116 0.0802 0.148 0.522 0.329 3.38 2.12 3.38 2.12l-0.0217 1.66-1.74-0.0227-0.0156 1.19-2.63-0.0344 0.0156-1.19-1.66-0.0217 0.0413-3.16c2e-3 -0.136-0.0496-0.265-0.143-0.361-0.0948-0.096-0.223-0.151-0.357-0.152l-1.58-0.0207-0.0172 1.31-6.46-0.0845 0.0172-1.31-1.58-0.0207c-0.134-2e-3 -0.264 0.0496-0.36 0.143-0.0973 0.0936-0.152 0.221-0.154 0.357l-0.0413 3.16-1.66-0.0217-0.0156 1.19-2.63-0.0344 0.0156-1.19-1.74-0.0228 0.0217-1.66s2.91-1.73 3.43-2.03c0.0522-0.0309 0.0833-0.0848 0.0841-0.146l0.0236-1.8z"
          fill="#989898"
          stroke-width="1.26"
        />

        <!-- LEDs -->
        <g stroke-width="1.44">
          <rect x="35" y="108" width="3.83" height="9.3" fill="#e5e5e5" />
          <rect x="35" y="111" width="3.83" height="5.31" fill="#f5ecde" />
          ${t&&$t`<circle cx="37" cy="112.5" r="4" fill="red" filter="url(#ledFilter)" />`}

          <rect x="69.5" y="108" width="3.83" height="9.3" fill="#e5e5e5" />
          <rect x="69.5" y="110" width="3.83" height="5.31" fill="#f5ecde" />
          ${e&&$t`<circle cx="71.5" cy="112.5" r="4" fill="blue" filter="url(#ledFilter)" />`}
        </g>

        <!-- Small Chip-->
        <rect
          transform="translate(69,137)"
          width="13.9"
          height="3"
          fill="url(#small-pin-pattern)"
        ></rect>
        <rect
          transform="translate(82.8,160.5) rotate(180)"
          width="13.9"
          height="3"
          fill="url(#small-pin-pattern)"
        ></rect>
        <rect
          transform="translate(87.2,142) rotate(90)"
          width="13.9"
          height="3"
          fill="url(#small-pin-pattern)"
        ></rect>
        <rect
          transform="translate(64,155.8) rotate(270)"
          width="13.9"
          height="3"
          fill="url(#small-pin-pattern)"
        ></rect>
        <rect x="66.9" y="140" width="17.4" height="17.4" fill="#333" stroke-width="1.61" />

        <!-- Texts -->
        <text fill="#ffffff" font-family="sans-serif" font-size="3.72px" transform="rotate(270)">
          <tspan x="-162.21" y="12.285">VIN</tspan>
          <tspan x="-153.37" y="12.317">GND</tspan>
          <tspan x="-143.03" y="12.269">D13</tspan>
          <tspan x="-132.81" y="12.130">D12</tspan>
          <tspan x="-123.10" y="12.514">D14</tspan>
          <tspan x="-113.82" y="12.481">D27</tspan>
          <tspan x="-103.55" y="12.580">D26</tspan>
          <tspan x="-94.204" y="12.509">D25</tspan>
          <tspan x="-84.482" y="12.632">D33</tspan>
          <tspan x="-74.139" y="12.294">D32</tspan>
          <tspan x="-64.263" y="12.750">D35</tspan>
          <tspan x="-54.385" y="12.631">D34</tspan>
          <tspan x="-44.529" y="12.468">VN</tspan>
          <tspan x="-35.205" y="12.546">VP</tspan>
          <tspan x="-25.439" y="12.846">EN</tspan>
          <tspan x="-163.01" y="95.712">3V3</tspan>
          <tspan x="-153.64" y="95.392">GND</tspan>
          <tspan x="-142.86" y="95.431">D15</tspan>
          <tspan x="-131.36" y="95.296">D2</tspan>
          <tspan x="-122.53" y="95.505">D4</tspan>
          <tspan x="-114.75" y="95.613">RX2</tspan>
          <tspan x="-104.84" y="95.442">TX2</tspan>
          <tspan x="-93.899" y="95.430">D5</tspan>
          <tspan x="-85.460" y="95.585">D18</tspan>
          <tspan x="-75.415" y="95.747">D19</tspan>
          <tspan x="-65.796" y="95.687">D21</tspan>
          <tspan x="-55.802" y="95.818">RX0</tspan>
          <tspan x="-45.850" y="95.613">TX0</tspan>
          <tspan x="-36.582" y="96.012">D22</tspan>
          <tspan x="-26.250" y="95.903">D23</tspan>
        </text>
        <text x="30" y="59" fill="#cecccb" font-family="sans-serif" font-size="15px">ESP32</text>

        <!-- Antenna -->
        <path
          d="m24.3 22.1v-18.8h8v11.5h10.2v-11h8.5v10.5h10v-10.5h17.8v20.2"
          fill="none"
          stroke="#4f4c48"
          stroke-width="1px"
        />
        <path d="m69.7 4.16v19.5" fill="none" stroke="#4f4c48" stroke-width="1px" />
      </svg>
    `}};kt([lt()],pt.prototype,"led1",void 0);kt([lt()],pt.prototype,"ledPower",void 0);pt=kt([It("wokwi-esp32-devkit-v1")],pt);var ne="http://www.w3.org/2000/svg";function h(i,t={},e=null){let s=document.createElementNS(ne,i);for(let[r,o]of Object.entries(t))s.setAttribute(r,String(o));return e&&e.appendChild(s),s}function E(i,t,e,s,r={}){let o=h("text",{x:t,y:e,...r},i);return o.textContent=s,o}function oe(i,t){let[e,s,r,o]=t.board,n=h("g",{class:"mpk-art"},i);if(t.art==="esp32-devkit-v1"){let a=.9960747663551401,l=h("g",{transform:`scale(${1/a}) translate(0 ${-(204.29-201*a)/2})`},n),u=h("foreignObject",{x:0,y:0,width:106.6,height:204.3},l),g=document.createElement("wokwi-esp32-devkit-v1");return g.ledPower=!0,u.appendChild(g),g}if(h("rect",{x:e,y:s,width:r,height:o,rx:6,fill:t.color,stroke:"#111"},n),t.art==="pico")h("rect",{x:32,y:-5,width:20,height:14,rx:2,fill:"#c8c8c8",stroke:"#888"},n),h("rect",{x:28,y:80,width:28,height:28,fill:"#222"},n),E(n,42,96,"RP2040",{class:"mpk-silk","text-anchor":"middle","font-size":5}),h("rect",{x:50,y:24,width:12,height:9,rx:1.5,fill:"#eee",stroke:"#999"},n),E(n,42,190,"Raspberry Pi Pico",{class:"mpk-silk","text-anchor":"middle","font-size":6}),h("rect",{x:24,y:40,width:36,height:26,fill:"#2b2b2b"},n);else if(t.art==="pyboard")h("rect",{x:-8,y:70,width:16,height:24,rx:2,fill:"#c8c8c8",stroke:"#888"},n),h("rect",{x:70,y:50,width:56,height:56,fill:"#222"},n),E(n,98,81,"STM32F405",{class:"mpk-silk","text-anchor":"middle","font-size":7}),E(n,150,110,"pyboard v1.1",{class:"mpk-silk","text-anchor":"middle","font-size":8}),h("rect",{x:164,y:132,width:16,height:16,rx:2,fill:"#ddd",stroke:"#777"},n),E(n,172,158,"RST",{class:"mpk-silk","text-anchor":"middle","font-size":6});else if(t.art==="microbit"){h("rect",{x:0,y:178,width:260,height:34,fill:"#1a2028"},n);for(let[a,l,u,g]of t.pins)g==="s"?h("rect",{x:l-2.2,y:u-14,width:4.4,height:30,fill:"#c9a94b"},n):(h("rect",{x:l-11.5,y:u-16,width:23,height:32,rx:3,fill:"#c9a94b"},n),h("circle",{cx:l,cy:u-6,r:7,fill:t.color},n));E(n,130,30,"BBC micro:bit",{class:"mpk-silk","text-anchor":"middle","font-size":10})}return null}function ae(i){return!i||i.m==="unused"?["none",1,!1]:i.t?["#39ff6a",.6,!0]:i.m==="pwm"?["#39ff6a",.15+.85*(i.b??0),(i.b??0)>.05]:i.m==="adc"?["#ff9a1f",.15+.85*(i.b??0),!1]:i.m==="in"?[i.v?"#7fc4ff":"#123a66",1,!1]:i.v===1?["#39ff6a",1,!0]:i.v===0?["#2a2a2a",1,!1]:["#bbb",1,!1]}function le({model:i,el:t}){let e=document.createElement("div");e.className="mpk-board";let s=document.createElement("div");s.className="mpk-board-title",e.appendChild(s),t.appendChild(e);let r=null,o=null,n={},a=null;function l(x){i.send(x)}function u(x,_){let C=!1;x.addEventListener("pointerdown",A=>{A.preventDefault(),C=!0,x.setPointerCapture?.(A.pointerId),x.classList.add("mpk-pressed"),l({kind:"press",name:_,value:1})});let N=()=>{C&&(C=!1,x.classList.remove("mpk-pressed"),l({kind:"press",name:_,value:0}))};x.addEventListener("pointerup",N),x.addEventListener("pointercancel",N)}function g(){a=i.get("layout"),r&&r.remove(),n={};let[x,_,C,N]=a.view;r=h("svg",{viewBox:`${x} ${_} ${C} ${N+30}`,class:`mpk-board-svg mpk-art-${a.art}`}),r.style.fontSize=`${a.font}px`,e.appendChild(r),o=oe(r,a);let A=a.font;for(let[$,b,v,y,w]of a.pins){let m=h("g",{class:$?"mpk-pin":"mpk-pin mpk-power","data-pin":$||w},r);m.classList.add(`mpk-side-${y}`),$||m.setAttribute("fill","#e6e6e6");let z=$||`power:${w}`;if(y==="b"){let P=h("circle",{cx:b,cy:v-6,r:3.6,class:"mpk-dot"},m);E(m,b,v+11,w,{class:"mpk-pad-label","text-anchor":"middle","font-size":A*1.3});let f=E(m,b,v+28,"",{class:"mpk-detail","text-anchor":"middle"}),p=E(m,b,v+28+A,"",{class:"mpk-detail","text-anchor":"middle"});n[z]={group:m,dot:P,side:y,lines:[f,p]}}else if(y==="s"){let P=h("circle",{cx:b,cy:v-6,r:2.6,class:"mpk-dot"},m),f=E(m,b+A*.35,v-14,w,{class:"mpk-strip-label","text-anchor":"start"});f.setAttribute("transform",`rotate(-90 ${b+A*.35} ${v-14})`);let p=h("tspan",{class:"mpk-detail"},f);n[z]={group:m,dot:P,label:f,detail:p,side:y}}else{let P=h("circle",{cx:b,cy:v,r:3.4,class:"mpk-dot",...$?{}:{fill:"#e6e6e6"}},m),f=b,p=v+A*.35,c="middle",S=null;y==="l"?(f=b-9,c="end"):y==="r"?(f=b+9,c="start"):y==="t"?(f=b+A*.35,p=v-8,c="start",S=-90):y==="d"&&(f=b+A*.35,p=v+8,c="end",S=-90);let T=E(m,f,p,$||w,{class:"mpk-label","text-anchor":c}),B=h("tspan",{class:"mpk-detail"},T);S!==null&&T.setAttribute("transform",`rotate(${S} ${f} ${p})`),n[z]={group:m,dot:P,label:T,detail:B,side:y}}$&&m.addEventListener("click",()=>{let P=i.get("pins")[$];P&&P.i==="toggle"&&l({kind:"toggle",name:$})})}for(let[$,b,v,y,w]of a.leds){let m=h("g",{class:"mpk-led","data-led":$},r);h("circle",{cx:b,cy:v,r:4.5,fill:"#ddd",stroke:"#888","stroke-width":.6},m);let z=h("circle",{cx:b,cy:v,r:4.5,fill:y,class:"mpk-led-glow"},m);h("title",{},m).textContent=w,n[`led:${$}`]={glow:z,group:m}}for(let[$,b,v,y,w]of a.buttons){let m=h("g",{class:"mpk-button","data-button":$,tabindex:0},r);if(h("rect",{x:b-y-2,y:v-y-2,width:2*y+4,height:2*y+4,rx:2,fill:"#3b3b3b"},m),h("circle",{cx:b,cy:v,r:y,class:"mpk-button-cap"},m),a.art==="microbit")E(m,b,v+4.5,w,{class:"mpk-button-letter","text-anchor":"middle"});else{let[z,,P]=a.board;E(m,z+P+9,v+A*.35,w,{class:"mpk-label mpk-button-label"})}h("title",{},m).textContent=`${w}: press and hold`,u(m,$),n[`button:${$}`]={group:m}}if(a.display){let[$,b,v]=a.display,y=h("g",{class:"mpk-display"},r),w=v/5;n.display=[];for(let m=0;m<25;m++){let z=h("rect",{x:$+m%5*w+w*.3,y:b+Math.floor(m/5)*w+w*.15,width:w*.4,height:w*.7,rx:1.5,class:"mpk-px"},y);n.display.push(z)}}n.neopixels=h("g",{class:"mpk-neopixels"},r),d()}function d(){let x=i.get("pins")||{};s.textContent=i.get("title");for(let[f,p]of Object.entries(n)){if(!p||!p.group||f.startsWith("led:")||f.startsWith("button:")||f.startsWith("power:"))continue;let c=x[f],[S,T,B]=ae(c);p.dot.setAttribute("fill",S),p.dot.setAttribute("fill-opacity",T),p.dot.classList.toggle("mpk-glow",B);let ht=c?c.m:"unused";p.group.dataset.mode=ht,p.group.dataset.level=c&&c.v!=null?String(c.v):"",p.group.dataset.activity=c&&c.t?"toggling":"",p.group.classList.toggle("mpk-input",!!(c&&c.i==="toggle")),p.group.classList.toggle("mpk-pressed",!!(c&&c.p));let I=c&&ht!=="unused"?c.d:"";if(p.lines){let st=I.indexOf(" ");p.lines[0].textContent=st<0?I:I.slice(0,st),p.lines[1].textContent=st<0?"":I.slice(st+1)}else p.detail.textContent=I?`  ${I}`:"";p.group.classList.toggle("mpk-used",ht!=="unused"),c&&c.i==="toggle"&&p.group.setAttribute("role","button")}for(let[f,p]of Object.entries(n)){if(!f.startsWith("led:"))continue;let c=x[f.slice(4)],S=c?c.m==="pwm"?c.b??0:c.t?.6:c.v?1:0:0;p.glow.setAttribute("opacity",S),p.group.dataset.level=String(S),p.glow.classList.toggle("mpk-glow",S>.05),o&&f==="led:GPIO2"&&(o.led1=S>.5)}for(let[f,p]of Object.entries(n)){if(!f.startsWith("button:"))continue;let c=x[f.slice(7)];p.group.classList.toggle("mpk-down",!!(c&&c.p)),p.group.dataset.pressed=c&&c.p?"1":"0"}let _=i.get("display");n.display&&n.display.forEach((f,p)=>{let c=_&&_[p]||0;f.setAttribute("fill-opacity",.1+.9*c/9),f.dataset.b=String(c),f.classList.toggle("mpk-glow",c>0)});let C=i.get("neopixels")||{},N=n.neopixels;N.replaceChildren();let[A,$,b,v]=a.view,y=0;for(let[f,p]of Object.entries(C)){let c=$+v+12+y*18;E(N,A+4,c+3,`NeoPixel ${f}`,{class:"mpk-label"});let S=Math.min(14,(b-110)/Math.max(1,p.length));p.forEach((T,B)=>{h("circle",{cx:A+110+B*S,cy:c,r:Math.min(6,S/2.2),fill:T,class:"mpk-neopixel","data-i":B,stroke:"#333"},N)}),y+=1}let[w,m,z,P]=a.view;r.setAttribute("viewBox",`${w} ${m} ${z} ${P+(y?8+y*18:0)}`)}return i.on("change:layout",g),i.on("change:pins",d),i.on("change:display",d),i.on("change:neopixels",d),i.on("change:title",d),g(),()=>{i.off("change:layout",g),i.off("change:pins",d),i.off("change:display",d),i.off("change:neopixels",d),i.off("change:title",d)}}var ps={render:le};export{ps as default};
/*! Bundled license information:

@lit/reactive-element/css-tag.js:
  (**
   * @license
   * Copyright 2019 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/reactive-element.js:
lit-html/lit-html.js:
lit-element/lit-element.js:
@lit/reactive-element/decorators/custom-element.js:
@lit/reactive-element/decorators/property.js:
@lit/reactive-element/decorators/state.js:
@lit/reactive-element/decorators/event-options.js:
@lit/reactive-element/decorators/base.js:
@lit/reactive-element/decorators/query.js:
@lit/reactive-element/decorators/query-all.js:
@lit/reactive-element/decorators/query-async.js:
@lit/reactive-element/decorators/query-assigned-nodes.js:
  (**
   * @license
   * Copyright 2017 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

lit-html/is-server.js:
  (**
   * @license
   * Copyright 2022 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)

@lit/reactive-element/decorators/query-assigned-elements.js:
  (**
   * @license
   * Copyright 2021 Google LLC
   * SPDX-License-Identifier: BSD-3-Clause
   *)
*/
