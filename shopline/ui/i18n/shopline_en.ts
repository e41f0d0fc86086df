<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln friend(s)</source>
        <translation>
            <numerusform>%Ln friend</numerusform>
            <numerusform>%Ln friends</numerusform>
        </translation>
    </message>
</context>
</TS>
